# Thin wrappers around Maven and the standalone jar; `make` alone lists the targets.

.DEFAULT_GOAL := help

JAR := mock-storage-core/target/mock-storage.jar
MVN := mvn -B
TASKS ?= 20000
TESTS ?= 1000
# seconds each latency run of make bench, bench-thirdparty and bench-observe measures (not SECONDS:
# that is bash's own, which counts up by itself in the shell the recipe runs in)
BENCH_SECONDS ?= 5
# make soak: clients, minutes, minutes between kill -9s, seed (empty: random)
CLIENTS ?= 16
MINUTES ?= 10
KILL_EVERY ?= 3
SEED ?=
# make bench-scale: objects in one bucket, then per extra bucket, extra buckets, object size in bytes
OBJECTS ?= 1000000
BUCKET_OBJECTS ?= 100000
BUCKETS ?= 10
SIZE ?= 0

# bench-scale and soak: compiled in one reactor with the client module, so they run this tree's client
# classes, not whatever copy of them the local Maven repository holds
BENCH_CLASSPATH := -pl mock-storage-client,mock-storage-core test-compile dependency:build-classpath \
	-Dmdep.includeScope=test -Dmdep.outputFile=target/classpath.txt
BENCH_CP = mock-storage-core/target/test-classes:mock-storage-core/target/classes:$$(cat mock-storage-core/target/classpath.txt)

.PHONY: help build run test consumer console-screenshots bench bench-queue bench-thirdparty bench-observe bench-junit5 bench-scale soak bench-start clean deps fmt

help: ## list these targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

build: ## build the standalone jar mock-storage-core/target/mock-storage.jar, skipping tests
	@bash scripts/prereqs.sh build
	$(MVN) -q package -DskipTests

run: build ## serve on http://localhost:8080 with ./config.json (Ctrl-C stops it); scripts/mock-storage: java -jar with a CDS archive
	scripts/mock-storage --config config.json

test: ## install test prerequisites when missing, then run all tests (mvn install, then samples/consumer)
	bash scripts/test.sh

consumer: ## build samples/consumer against the installed jars (after make test or mvn install)
	bash scripts/consumer.sh

console-screenshots: ## refresh docs/console/*.png: the web console's browser tests, saving a screenshot of each page
	@bash scripts/prereqs.sh test
	$(MVN) -q -pl mock-storage-core test -Dtest=ConsoleBrowserTest -Dsurefire.failIfNoSpecifiedTests=false \
		-Dconsole.screenshots=$(CURDIR)/docs/console

bench: ## print the core benchmark's figures (start-up, 4 KiB latency, 1 GiB in 128 MiB of heap); not a test
	@bash scripts/prereqs.sh build
	$(MVN) -q -pl mock-storage-core test-compile exec:exec -Dexec.classpathScope=test -Dexec.executable=java \
		-Dexec.args="-Xmx1g -cp %classpath dev.mockstorage.bench.CoreBenchmark $(BENCH_SECONDS) latency"
	$(MVN) -q -pl mock-storage-core exec:exec -Dexec.classpathScope=test -Dexec.executable=java \
		-Dexec.args="-Xmx128m -cp %classpath dev.mockstorage.bench.CoreBenchmark $(BENCH_SECONDS) big"

bench-queue: ## print tasks/s the queue's workers drain (1 and 2 workers, TASKS=20000 of each kind); not a test
	@bash scripts/prereqs.sh build
	$(MVN) -q -pl mock-storage-core test-compile exec:exec -Dexec.classpathScope=test -Dexec.executable=java \
		-Dexec.args="-cp %classpath dev.mockstorage.bench.QueueBenchmark $(TASKS)"

bench-thirdparty: ## print the added latency (p50/p99) of a third-party miss over a hit, local upstream; not a test
	@bash scripts/prereqs.sh build
	$(MVN) -q -pl mock-storage-core test-compile exec:exec -Dexec.classpathScope=test -Dexec.executable=java \
		-Dexec.args="-cp %classpath dev.mockstorage.bench.ThirdPartyBenchmark $(BENCH_SECONDS)"

bench-observe: ## print 4 KiB GET latency with the request journal + metrics on and off; not a test
	@bash scripts/prereqs.sh build
	$(MVN) -q -pl mock-storage-core test-compile exec:exec -Dexec.classpathScope=test -Dexec.executable=java \
		-Dexec.args="-Xmx256m -cp %classpath dev.mockstorage.bench.ObserveBenchmark $(BENCH_SECONDS)"

bench-junit5: ## print what @MockStorage adds per test (median/p99 over TESTS=1000) vs an empty test and @TempDir+SQLite; not a test
	@bash scripts/prereqs.sh build
	$(MVN) -q -pl mock-storage-core,mock-storage-junit5 test-compile exec:exec -Dexec.skip=true -Dexec.classpathScope=test -Dexec.executable=java \
		-Dexec.args="-cp %classpath dev.mockstorage.junit5.bench.ExtensionBenchmark $(TESTS)"

bench-scale: ## print costs at 10k, 100k and OBJECTS=1000000 objects (+ BUCKETS=10 x 100000): PUT/GET, listings, search, consistency check, sizes; not a test
	@bash scripts/prereqs.sh build
	$(MVN) -q $(BENCH_CLASSPATH)
	java -Xmx2g -cp $(BENCH_CP) dev.mockstorage.bench.ScaleBenchmark $(OBJECTS) $(BUCKET_OBJECTS) $(BUCKETS) $(SIZE)

soak: ## CLIENTS=16 clients for MINUTES=10 of mixed S3 load on the standalone server, with node faults and kill -9 every KILL_EVERY=3 minutes; checks every write; not a test
	@bash scripts/prereqs.sh build
	$(MVN) -q $(BENCH_CLASSPATH)
	java -Xmx1g -cp $(BENCH_CP) dev.mockstorage.bench.SoakDriver $(CLIENTS) $(MINUTES) $(KILL_EVERY) $(SEED)

bench-start: ## print start to first 200 on /health (jar, launcher, docker run; median/p90 of RUNS=20) next to a socket-only JVM, CPU time, and @MockStorage per test; not a test
	@bash scripts/prereqs.sh build
	bash scripts/bench-start.sh

clean: ## delete build output (target/); the ./data directory of `make run` is kept
	$(MVN) -q clean

deps: ## download every dependency and plugin, for offline builds later
	@bash scripts/prereqs.sh build
	$(MVN) dependency:go-offline

fmt: ## format all Java sources (palantir-java-format via Spotless); the build checks the same format
	$(MVN) -q spotless:apply
