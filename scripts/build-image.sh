#!/usr/bin/env bash
# Builds the Docker image by hand, from the build context the testcontainer module's jar carries
# (mock-storage-testcontainer/target/classes/dev/mockstorage/testcontainer/image: the Dockerfile, data/
# and the standalone jar, put there by `mvn package`). MockStorageContainer does the same by itself when
# the engine lacks the image, so tests never need this script; it is for `docker run` by hand.
#
#   scripts/build-image.sh [IMAGE [BASE_IMAGE]]
#     IMAGE       default mock-storage:<project version>  (what MockStorageContainer starts by default)
#     BASE_IMAGE  default $MOCK_STORAGE_BASE_IMAGE, else eclipse-temurin:17-jre;
#                 offline: local/jre17:offline from scripts/make-jre-base.sh
#
# The image gets the label dev.mockstorage.jar-sha256 (the jar's SHA-256), as MockStorageContainer's own
# builds do, so a container of the same version reuses it and one built from another jar rebuilds it.
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE="${1:-mock-storage:$(sed -n 's|^  <version>\(.*\)</version>|\1|p' pom.xml | head -1)}"
BASE_IMAGE="${2:-${MOCK_STORAGE_BASE_IMAGE:-eclipse-temurin:17-jre}}"
CONTEXT=mock-storage-testcontainer/target/classes/dev/mockstorage/testcontainer/image

docker info >/dev/null 2>&1 || { echo "build-image: no Docker engine answers (docker info failed); start one (scripts/ensure-docker.sh as root)" >&2; exit 1; }
[ -f "$CONTEXT/mock-storage.jar" ] || { echo "build-image: $CONTEXT/mock-storage.jar is missing; run 'mvn package -DskipTests' first" >&2; exit 1; }

# the same Dockerfile MockStorageContainer builds; where the CLI has no buildx it uses the legacy builder
docker build -q \
  --build-arg "BASE_IMAGE=$BASE_IMAGE" \
  --label "dev.mockstorage.jar-sha256=$(sha256sum "$CONTEXT/mock-storage.jar" | cut -d' ' -f1)" \
  -t "$IMAGE" "$CONTEXT" >/dev/null
echo "build-image: built $IMAGE on $BASE_IMAGE ($(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%.0f MB", $1/1000000}'))"
