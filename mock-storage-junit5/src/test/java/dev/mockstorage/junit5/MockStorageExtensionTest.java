package dev.mockstorage.junit5;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.MockStorageRuntime;
import dev.mockstorage.server.MockStorageServer;
import dev.mockstorage.thirdparty.Match;
import dev.mockstorage.verification.Times;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** {@code @MockStorage} through the Jupiter engine: fixture classes run by EngineTestKit, their events asserted. */
class MockStorageExtensionTest {

    /** What fixtures saw, in order: cleared before each test of this class (fixtures run one at a time here). */
    static final Queue<Object> SEEN = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void clear() {
        SEEN.clear();
    }

    private static EngineExecutionResults runPassing(Class<?> fixture, int tests) {
        EngineExecutionResults results = Fixtures.run(fixture);
        assertEquals(0, results.allEvents().failed().count(), () -> Fixtures.failures(results));
        assertEquals(tests, results.testEvents().succeeded().count(), () -> Fixtures.failures(results));
        return results;
    }

    private static boolean answers(URI endpoint) {
        try {
            HttpURLConnection c =
                    (HttpURLConnection) endpoint.resolve("/health").toURL().openConnection();
            c.setConnectTimeout(1000);
            return c.getResponseCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    // --- PER_METHOD (default) ---------------------------------------------------------------------

    @Fixture
    @MockStorage(buckets = "photos")
    static class PerMethod {
        @Test
        void one(MockStorageRuntime storage, MockStorageServer server) {
            assertTrue(storage == server);
            storage.putObject("photos", "a.txt", "a".getBytes(), "text/plain");
            SEEN.add(server);
            SEEN.add(server.dataDirectory());
            assertEquals(3, storage.nodes().list().size());
        }

        @Test
        void two(MockStorageServer server) {
            assertEquals(0, server.stats().objects().count(), "a fresh server per test");
            SEEN.add(server);
            SEEN.add(server.dataDirectory());
        }
    }

    @Test
    void perMethodGivesEachTestItsOwnServerAndDirectoryAndClosesBoth() {
        runPassing(PerMethod.class, 2);
        List<Object> seen = List.copyOf(SEEN);
        MockStorageServer first = (MockStorageServer) seen.get(0);
        MockStorageServer second = (MockStorageServer) seen.get(2);
        assertNotEquals(first.port(), second.port());
        assertNotEquals(seen.get(1), seen.get(3));
        assertFalse(answers(first.endpoint()), "closed after its test");
        // deleted off the test's thread, soon after (DirectoryCleaner)
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists((Path) seen.get(1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists((Path) seen.get(3)));
    }

    @Fixture
    @MockStorage
    static class KeepData {
        @Test
        void test(MockStorageServer server) {
            SEEN.add(server.dataDirectory());
        }
    }

    @Test
    void keepDataKeepsTheDirectoryAndPublishesItsPath() throws IOException {
        EngineExecutionResults results = Fixtures.run(KeepData.class, Map.of(MockStorage.KEEP_DATA_PROPERTY, "true"));
        assertEquals(1, results.testEvents().succeeded().count(), () -> Fixtures.failures(results));
        Path dir = (Path) SEEN.peek();
        try {
            assertTrue(Files.isDirectory(dir.resolve("stg1")));
            assertTrue(results.allEvents().reportingEntryPublished().stream()
                    .anyMatch(e -> e.toString().contains(dir.toString())));
        } finally {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    // --- attributes --------------------------------------------------------------------------------

    @Fixture
    @MockStorage(
            nodes = 2,
            buckets = {"aaa", "bbb"},
            seed = "seed-folder",
            thirdPartyScripts = "scripts/upstream.json",
            config = "mock-storage-test.json")
    static class Attributes {
        @Test
        void everythingIsThere(MockStorageServer server, S3Client s3) {
            assertEquals(2, server.nodes().list().size());
            assertEquals(
                    "meow",
                    s3.getObjectAsBytes(b -> b.bucket("photos").key("cat.txt")).asUtf8String());
            assertEquals(
                    "woof",
                    s3.getObjectAsBytes(b -> b.bucket("photos").key("2024/dog.txt"))
                            .asUtf8String());
            assertEquals(
                    "# docs",
                    s3.getObjectAsBytes(b -> b.bucket("docs").key("readme.md")).asUtf8String());
            List<String> buckets =
                    s3.listBuckets().buckets().stream().map(b -> b.name()).toList();
            assertEquals(List.of("aaa", "bbb", "docs", "from-config", "photos"), buckets);
            // the script (with its body_file next to it) answers the read-through
            assertEquals(
                    "from upstream",
                    s3.getObjectAsBytes(b -> b.bucket("photos").key("cat.jpg")).asUtf8String());
            server.thirdParty().verify(Times.once(), Match.get("photos", "cat.jpg"));
            assertTrue(
                    server.dataDirectory()
                            .startsWith(Path.of(System.getProperty("java.io.tmpdir"))
                                    .toAbsolutePath()),
                    "the config file's data_dir is overridden");
            assertNotEquals(8080, server.port(), "the config file's port is overridden");
        }
    }

    @Test
    void bucketsSeedScriptsConfigAndNodesAreApplied() {
        runPassing(Attributes.class, 1);
    }

    @Fixture
    @MockStorage(nodes = 2)
    static class MethodOverridesClass {
        @Test
        void classAnnotation(MockStorageRuntime storage) {
            assertEquals(2, storage.nodes().list().size());
        }

        @Test
        @MockStorage(nodes = 4)
        void methodAnnotation(MockStorageRuntime storage) {
            assertEquals(4, storage.nodes().list().size());
        }
    }

    @Test
    void aMethodsAnnotationOverridesTheClasss() {
        runPassing(MethodOverridesClass.class, 2);
    }

    // --- AWS SDK clients ---------------------------------------------------------------------------

    @Fixture
    @MockStorage(buckets = "bkt")
    static class Clients {
        @Test
        void syncAndAsync(S3Client s3, S3AsyncClient async, MockStorageRuntime storage) throws Exception {
            s3.putObject(x -> x.bucket("bkt").key("k"), RequestBody.fromString("v"));
            assertEquals(
                    "v",
                    async.getObject(x -> x.bucket("bkt").key("k"), AsyncResponseTransformer.toBytes())
                            .get()
                            .asUtf8String());
            assertThrows(
                    NoSuchKeyException.class,
                    () -> s3.getObject(x -> x.bucket("bkt").key("missing")));
            assertEquals(
                    storage.endpoint().getPort(),
                    s3.serviceClientConfiguration()
                            .endpointOverride()
                            .orElseThrow()
                            .getPort());
            SEEN.add(s3);
        }
    }

    @Test
    void s3ClientsAreBoundToTheServerAndClosedAfterTheTest() {
        runPassing(Clients.class, 1);
        S3Client s3 = (S3Client) SEEN.peek();
        assertThrows(IllegalStateException.class, () -> s3.listBuckets(), "closed by the extension");
    }

    // --- unscripted third-party calls --------------------------------------------------------------

    @Fixture
    @MockStorage(buckets = "photos", thirdPartyScripts = "scripts/upstream.json")
    static class Unscripted {
        @Test
        void readsAnUnscriptedKey(S3Client s3) {
            assertThrows(
                    NoSuchKeyException.class,
                    () -> s3.getObject(b -> b.bucket("photos").key("cat.jpeg")));
        }

        @Test
        @MockStorage(buckets = "photos", thirdPartyScripts = "scripts/upstream.json", failOnUnscriptedCalls = false)
        void allowed(S3Client s3) {
            assertThrows(
                    NoSuchKeyException.class,
                    () -> s3.getObject(b -> b.bucket("photos").key("cat.jpeg")));
        }
    }

    @Test
    void unscriptedCallsFailTheTestListingTheCallAndTheClosestScript() {
        EngineExecutionResults results = Fixtures.run(Unscripted.class);
        assertEquals(1, results.testEvents().succeeded().count(), () -> Fixtures.failures(results));
        assertEquals(1, results.testEvents().failed().count());
        Throwable failure = results.testEvents().failed().stream()
                .findFirst()
                .orElseThrow()
                .getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .orElseThrow()
                .getThrowable()
                .orElseThrow();
        assertTrue(failure instanceof AssertionError, failure.toString());
        String message = failure.getMessage();
        assertTrue(message.contains("1 third-party call matched no script"), message);
        assertTrue(message.contains("GET /photos/cat.jpeg"), message);
        assertTrue(
                message.contains("closest script: cat (GET bucket=photos key=\"cat.jpg\") differs in key \"cat.jpeg\""),
                message);
        assertTrue(message.contains("failOnUnscriptedCalls = false"), message);
    }

    // --- PER_CLASS and @Nested ---------------------------------------------------------------------

    @Fixture
    @MockStorage(lifecycle = MockStorage.Lifecycle.PER_CLASS, buckets = "shared", seed = "seed-folder")
    static class PerClass {
        static MockStorageServer fromBeforeAll;

        @BeforeAll
        static void beforeAll(MockStorageServer server) {
            fromBeforeAll = server;
        }

        @Test
        void first(MockStorageServer server) {
            assertTrue(server == fromBeforeAll);
            assertEquals(3, server.stats().objects().count(), "seeded");
            server.putObject("shared", "left-over", new byte[1], "text/plain");
            server.createBucket("extra");
            SEEN.add(server);
        }

        @Test
        void second(MockStorageServer server) {
            assertTrue(server == fromBeforeAll);
            assertEquals(3, server.stats().objects().count(), "reset between tests, then seeded again");
            SEEN.add(server);
        }

        @Nested
        class NotAnnotated {
            @Test
            void sharesTheOuterServer(MockStorageServer server) {
                assertTrue(server == fromBeforeAll);
                SEEN.add(server);
            }
        }

        @Nested
        @MockStorage(nodes = 1)
        class Annotated {
            @Test
            void hasItsOwn(MockStorageServer server) {
                assertTrue(server != fromBeforeAll);
                assertEquals(1, server.nodes().list().size());
                SEEN.add(server);
            }
        }
    }

    @Test
    void perClassSharesOneServerResetBetweenTestsAndNestedClassesFollowTheNearestAnnotation() {
        runPassing(PerClass.class, 4);
        assertEquals(3, SEEN.stream().filter(s -> s == PerClass.fromBeforeAll).count());
        assertFalse(answers(PerClass.fromBeforeAll.endpoint()), "closed after the class");
    }

    @Fixture
    @MockStorage(buckets = "bkt")
    static class Templates {
        @RepeatedTest(3)
        void repeated(MockStorageServer server) {
            assertEquals(0, server.stats().objects().count());
            server.putObject("bkt", "k", new byte[1], "text/plain");
            SEEN.add(server.dataDirectory());
        }

        @ParameterizedTest
        @ValueSource(strings = {"x", "y"})
        void parameterized(String key, MockStorageServer server) {
            assertEquals(0, server.stats().objects().count());
            server.putObject("bkt", key, new byte[1], "text/plain");
            SEEN.add(server.dataDirectory());
        }

        @Nested
        class Inner {
            @BeforeEach
            void before(MockStorageServer server) {
                server.putObject("bkt", "from-before-each", new byte[1], "text/plain");
            }

            @Test
            void sameServerAsBeforeEach(MockStorageServer server) {
                assertEquals(1, server.stats().objects().count());
                SEEN.add(server.dataDirectory());
            }

            @AfterEach
            void after(MockStorageServer server) {
                assertEquals(1, server.stats().objects().count());
            }
        }
    }

    @Test
    void repeatedParameterizedAndNestedTestsEachGetAFreshServer() {
        runPassing(Templates.class, 6);
        assertEquals(
                6,
                SEEN.stream().distinct().count(),
                "one data directory (one server) per invocation; ports may be reused once a server has closed: "
                        + SEEN);
    }

    @Test
    void fixturesDoNotRunOnTheirOwn() {
        EngineExecutionResults results = org.junit.platform.testkit.engine.EngineTestKit.engine("junit-jupiter")
                .selectors(org.junit.platform.engine.discovery.DiscoverySelectors.selectClass(PerMethod.class))
                .execute();
        assertEquals(0, results.testEvents().started().count());
        assertEquals(1, results.containerEvents().skipped().count());
    }
}
