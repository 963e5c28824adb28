#!/usr/bin/env bash
# Installs what building (`build`) or testing (`test`) needs, when it is missing:
#   build: a JDK 17 or newer and Maven
#   test:  the same, plus curl, the AWS CLI at /usr/bin/aws and boto3 for /usr/bin/python3 (Debian's
#          awscli and python3-boto3; the tests call them by full path because another `aws` or
#          `python3` may come first on PATH), and Debian's chromium and chromium-driver for the web
#          console's browser tests (/usr/bin/chromium, /usr/bin/chromedriver: Selenium downloads nothing)
# Installs with apt-get when running as root; otherwise says what to install and fails.
# Quick and silent when everything is there.
set -euo pipefail

purpose="${1:-build}"
missing=()

java_major() {
  java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}
if ! command -v java >/dev/null 2>&1 || ! command -v javac >/dev/null 2>&1 || [ "$(java_major)" -lt 17 ] 2>/dev/null; then
  missing+=(openjdk-17-jdk-headless)
fi
command -v mvn >/dev/null 2>&1 || missing+=(maven)
if [ "$purpose" = test ]; then
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  [ -x /usr/bin/aws ] || missing+=(awscli)
  { [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import boto3' 2>/dev/null; } || missing+=(python3-boto3)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "prereqs: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "prereqs: missing ${missing[*]}. Install them (Debian/Ubuntu: sudo apt-get install -y ${missing[*]}) and run again." >&2
  exit 1
fi
