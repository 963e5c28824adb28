#!/usr/bin/env bash
# Builds samples/consumer, a project outside the reactor that depends on mock-storage's published
# coordinates only (mock-storage-junit5, mock-storage-testcontainer, the AWS SDK), as a new user's does:
# an @MockStorage test and a container test. Run after `mvn install` (scripts/test.sh does). The image
# mock-storage:<version> is removed first, so the container test proves that the module builds it by
# itself on an engine that does not have it. Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."

version="$(sed -n 's|^  <version>\(.*\)</version>|\1|p' pom.xml | head -1)"
if docker info >/dev/null 2>&1; then
  docker image rm -f "mock-storage:$version" >/dev/null 2>&1 || true
elif [ -n "${CI:-}" ]; then
  echo "consumer: no Docker engine and CI is set: the consumer's container test must run in CI" >&2
  exit 1
else
  echo "consumer: no Docker engine; skipping samples/consumer (its container test needs one)" >&2
  exit 0
fi
exec mvn -B -f samples/consumer/pom.xml verify "$@"
