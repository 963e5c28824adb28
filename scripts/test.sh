#!/usr/bin/env bash
# Runs every test of every module (`mvn install`: the published jars, with their -sources and -javadoc
# jars, go to the local repository), then samples/consumer, a project that uses them from their
# coordinates alone (scripts/consumer.sh). Installs what the tests need when it is missing (see
# prereqs.sh) first. Extra arguments go to Maven, e.g. `scripts/test.sh -o` for offline.
#
# The container tests need a Docker engine; MockStorageContainer builds the image itself. This script
# starts the engine when it is not running (scripts/ensure-docker.sh, as root), builds a Java base image
# locally without any registry (scripts/make-jre-base.sh, ~5 s) and names it as the image's base
# (MOCK_STORAGE_BASE_IMAGE; the -Poffline-docker profile passes it to the test JVMs too). Without an
# engine (not root, no apt-get) the container tests are skipped with that reason; with CI set that is
# an error instead.
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
  # what MockStorageContainer builds its image on when the engine lacks it (no registry here)
  export MOCK_STORAGE_BASE_IMAGE="${MOCK_STORAGE_BASE_IMAGE:-local/jre17:offline}"
elif [ -n "${CI:-}" ]; then
  echo "test.sh: no Docker engine and CI is set: the container tests must run in CI" >&2
  exit 1
else
  echo "test.sh: no Docker engine; the container tests will be skipped" >&2
fi

mvn -B "${profile[@]}" install "$@"
bash scripts/consumer.sh "$@"
