#!/usr/bin/env bash
# Runs every test of every module (`mvn verify`), after installing what the tests need when it is
# missing (see prereqs.sh). Extra arguments go to Maven, e.g. `scripts/test.sh -o` for offline.
#
# The container tests need a Docker engine and the image. This script starts the engine when it is
# not running (scripts/ensure-docker.sh, as root), builds a Java base image locally without any
# registry (scripts/make-jre-base.sh, ~5 s) and runs Maven with -Poffline-docker, which builds the
# image on that base and runs the container tests against it. Without an engine (not root, no
# apt-get) the container tests are skipped with that reason; with CI set that is an error instead.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/prereqs.sh test

profile=()
if bash scripts/ensure-docker.sh; then
  bash scripts/make-jre-base.sh local/jre17:offline
  profile=(-Poffline-docker)
  # Testcontainers reads these from the environment only (the offline-docker profile sets them for the
  # test JVMs too): no Ryuk (it would be pulled), and mapped ports on localhost (this machine kind has
  # /.dockerenv, so Testcontainers would look for a gateway by pulling alpine). Kept when already set.
  export TESTCONTAINERS_RYUK_DISABLED="${TESTCONTAINERS_RYUK_DISABLED:-true}"
  export TESTCONTAINERS_HOST_OVERRIDE="${TESTCONTAINERS_HOST_OVERRIDE:-localhost}"
elif [ -n "${CI:-}" ]; then
  echo "test.sh: no Docker engine and CI is set: the container tests must run in CI" >&2
  exit 1
else
  echo "test.sh: no Docker engine; the container tests will be skipped" >&2
fi

exec mvn -B "${profile[@]}" verify "$@"
