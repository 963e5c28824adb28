#!/usr/bin/env bash
# make bench-start: time from start to the first 200 on /health, each next to its floor (a JVM that
# only opens a socket), median and p90 over RUNS starts (default 20), with the CPU time used:
#   - the standalone jar, `java -jar` (and the launcher scripts/mock-storage, which uses a CDS archive);
#   - the Docker image, `docker run` (when a Docker engine answers), built from this tree as
#     mock-storage-start-bench:latest on $MOCK_STORAGE_BASE_IMAGE, else local/jre17:offline when the
#     engine has it, else eclipse-temurin:17-jre;
#   - what @MockStorage adds to a test (TESTS tests, default 1000).
# To compare with an earlier build in the same run (the starts interleaved, so a busy minute of a shared
# machine falls on both): COMPARE_JAR=path/to/older/mock-storage.jar, COMPARE_IMAGE=an-older-image.
# Prints figures, asserts nothing. Assumes `mvn package` can run offline or online as configured.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-20}"
TESTS="${TESTS:-1000}"
MVN="${MVN:-mvn -B}"
JAR=mock-storage-core/target/mock-storage.jar
IMAGE=mock-storage-start-bench:latest

$MVN -q -pl mock-storage-client,mock-storage-core,mock-storage-junit5,mock-storage-testcontainer -am package -DskipTests
$MVN -q -pl mock-storage-core test-compile

args=(--runs "$RUNS" --jar "java -jar=$JAR")
if [ -n "${COMPARE_JAR:-}" ]; then
  args+=(--jar "java -jar, COMPARE_JAR=$COMPARE_JAR")
fi
if [ -x scripts/mock-storage ]; then
  if [ -n "${COMPARE_JAR:-}" ]; then
    # the launcher on the older jar (its own archive, made on its first start, which is not counted)
    args+=(--cmd "scripts/mock-storage, COMPARE_JAR=env MOCK_STORAGE_JAR=$(cd "$(dirname "$COMPARE_JAR")" && pwd)/$(basename "$COMPARE_JAR") scripts/mock-storage --server.port={port} --storage.data_dir={dir}")
  fi
  args+=(--cmd "scripts/mock-storage (CDS archive)=scripts/mock-storage --server.port={port} --storage.data_dir={dir}")
fi
if docker info >/dev/null 2>&1; then
  base="${MOCK_STORAGE_BASE_IMAGE:-}"
  if [ -z "$base" ]; then
    if docker image inspect local/jre17:offline >/dev/null 2>&1; then base=local/jre17:offline; else base=eclipse-temurin:17-jre; fi
  fi
  bash scripts/build-image.sh "$IMAGE" "$base"
  args+=(--base-image "$base")
  if [ -n "${COMPARE_IMAGE:-}" ]; then
    args+=(--image "docker run, COMPARE_IMAGE=$COMPARE_IMAGE")
  fi
  args+=(--image "docker run=$IMAGE")
else
  echo "bench-start: no Docker engine answers: the container lines are left out"
fi

# StartBenchmark and its floor use JDK classes only
java -cp mock-storage-core/target/test-classes dev.mockstorage.bench.StartBenchmark "${args[@]}"

$MVN -q -pl mock-storage-client,mock-storage-core,mock-storage-junit5 test-compile exec:exec -Dexec.skip=true -Dexec.classpathScope=test \
  -Dexec.executable=java -Dexec.args="-cp %classpath dev.mockstorage.junit5.bench.ExtensionBenchmark $TESTS"
