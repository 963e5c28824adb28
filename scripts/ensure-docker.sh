#!/usr/bin/env bash
# Makes sure a Docker engine answers `docker info`; idempotent (0.02 s when it already does).
#   1. the engine answers: done;
#   2. no dockerd on the machine: install Debian's docker.io with apt-get (as root);
#   3. drop pid files a killed daemon left behind (a zombie containerd otherwise makes the new
#      dockerd wait 60 s for a dead socket and die);
#   4. start dockerd detached (setsid; machines without systemd never start it themselves) and wait
#      until it answers, retrying once. Log: /tmp/dockerd.log.
# Exits non-zero when no engine can be had, so a CI run never passes without its container tests.
set -euo pipefail

LOG=/tmp/dockerd.log
PIDFILE=/var/run/docker.pid
CONTAINERD_PIDFILE=/var/run/docker/containerd/containerd.pid

if docker info >/dev/null 2>&1; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-docker: the Docker engine does not answer and only root can start it; start it (or run as root)" >&2
  exit 1
fi

if ! command -v dockerd >/dev/null 2>&1; then
  echo "ensure-docker: installing docker.io" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends docker.io >/dev/null
fi
command -v docker >/dev/null 2>&1 || { echo "ensure-docker: no docker CLI after installing docker.io" >&2; exit 1; }

# a pid file is stale unless it names a live, non-zombie process of the expected name
drop_stale_pidfile() {
  local file="$1" name="$2" pid state comm
  [ -f "$file" ] || return 0
  pid="$(cat "$file" 2>/dev/null || true)"
  if [ -n "$pid" ] && [ -r "/proc/$pid/stat" ]; then
    comm="$(cat "/proc/$pid/comm" 2>/dev/null || true)"
    state="$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)"
    if [ "$comm" = "$name" ] && [ "$state" != Z ]; then
      return 0
    fi
  fi
  echo "ensure-docker: removing stale $file (pid ${pid:-none})" >&2
  rm -f "$file"
}

start_and_wait() {
  drop_stale_pidfile "$PIDFILE" dockerd
  drop_stale_pidfile "$CONTAINERD_PIDFILE" containerd
  if ! [ -f "$PIDFILE" ]; then
    setsid dockerd --pidfile "$PIDFILE" >>"$LOG" 2>&1 </dev/null &
  fi
  local i
  for i in $(seq 1 120); do
    if docker info >/dev/null 2>&1; then
      return 0
    fi
    if ! kill -0 "$(cat "$PIDFILE" 2>/dev/null || echo 0)" 2>/dev/null && [ "$i" -gt 10 ]; then
      return 1 # died (its pid file is written within moments of the start)
    fi
    sleep 0.5
  done
  return 1
}

if start_and_wait; then
  exit 0
fi
echo "ensure-docker: dockerd did not come up; retrying once in 5 s" >&2
sleep 5
if start_and_wait; then
  exit 0
fi
echo "ensure-docker: the Docker engine did not start. Tail of $LOG:" >&2
tail -n 30 "$LOG" >&2 || true
exit 1
