#!/usr/bin/env bash
# Builds the Docker image from mock-storage-testcontainer/Dockerfile and the standalone jar
# (mock-storage-core/target/mock-storage.jar, built by `mvn package`). Maven runs it in the
# testcontainer module before the container tests; by hand:
#
#   scripts/build-image.sh [IMAGE [BASE_IMAGE]]
#     IMAGE       default mock-storage:<project version>  (what MockStorageContainer starts by default)
#     BASE_IMAGE  default eclipse-temurin:17-jre; offline: local/jre17:offline from scripts/make-jre-base.sh
#
# Without a Docker engine it says so and exits 0, so the build goes on and the container tests skip
# with that reason; with CI set it fails instead (CI must run them).
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE="${1:-mock-storage:$(sed -n 's|^  <version>\(.*\)</version>|\1|p' pom.xml | head -1)}"
BASE_IMAGE="${2:-eclipse-temurin:17-jre}"
JAR=mock-storage-core/target/mock-storage.jar

if ! docker info >/dev/null 2>&1; then
  if [ -n "${CI:-}" ]; then
    echo "build-image: no Docker engine answers (docker info failed) and CI is set: the container tests must run in CI" >&2
    exit 1
  fi
  echo "build-image: SKIPPED: no Docker engine answers (docker info failed); $IMAGE not built, the container tests will be skipped" >&2
  exit 0
fi
[ -f "$JAR" ] || { echo "build-image: $JAR is missing; run 'mvn package' first" >&2; exit 1; }

# the same command users run; where the CLI has no buildx it uses the legacy builder (and says so)
docker build -q \
  --build-arg "BASE_IMAGE=$BASE_IMAGE" \
  -f mock-storage-testcontainer/Dockerfile -t "$IMAGE" . >/dev/null
echo "build-image: built $IMAGE on $BASE_IMAGE ($(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%.0f MB", $1/1000000}'))"
