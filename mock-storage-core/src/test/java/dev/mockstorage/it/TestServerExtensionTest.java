package dev.mockstorage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import software.amazon.awssdk.core.sync.RequestBody;

/** {@link StartStop} through the Jupiter engine: the fixture classes below run only from these tests. */
class TestServerExtensionTest {

    /** What the fixtures saw, one entry per test or callback: the endpoint and the directory. */
    static final List<Seen> SEEN = new CopyOnWriteArrayList<>();

    record Seen(String where, URI endpoint, Path directory, Path dataDirectory) {
        static Seen of(String where, TestServer server) {
            return new Seen(where, server.endpoint(), server.directory(), server.dataDirectory());
        }
    }

    @BeforeEach
    void clear() {
        SEEN.clear();
    }

    @Fixture
    static class PerClass {
        @StartStop
        static final TestServer server =
                TestServer.create(b -> b.autoCreateBuckets(true)).withDataDirectory("x/y/data");

        @Test
        void one() {
            server.s3().putObject(b -> b.bucket("auto").key("one"), RequestBody.fromString("1"));
            SEEN.add(Seen.of("one", server));
        }

        @Test
        void two() {
            SEEN.add(Seen.of("two", server));
        }

        @AfterAll
        static void after() {
            SEEN.add(Seen.of("afterAll", server));
        }
    }

    @Test
    void aStaticFieldIsOneServerForTheClassWithItsSettingsStoppedAndDeletedAfterAll() {
        EngineExecutionResults results = run(PerClass.class);
        results.testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
        assertEquals(3, SEEN.size(), SEEN::toString);
        assertEquals(1, SEEN.stream().map(Seen::endpoint).distinct().count(), "one server: " + SEEN);
        Seen seen = SEEN.get(0);
        assertEquals(seen.directory().resolve("x/y/data"), seen.dataDirectory());
        assertFalse(Files.exists(seen.directory()), "the directory is deleted");
        assertFalse(listening(seen.endpoint()), "the server is stopped");
    }

    @Fixture
    static class PerMethod {
        @StartStop
        final TestServer server = TestServer.create();

        @BeforeEach
        void before() {
            server.createBucket("mine"); // would be BucketAlreadyOwnedByYou on a shared server
        }

        @Test
        void one() {
            SEEN.add(Seen.of("one", server));
        }

        @Test
        void two() {
            SEEN.add(Seen.of("two", server));
        }

        @AfterEach
        void after() {
            assertEquals(
                    List.of("mine"),
                    server.s3().listBuckets().buckets().stream()
                            .map(b -> b.name())
                            .toList());
            SEEN.add(Seen.of("afterEach", server));
        }
    }

    @Test
    void anInstanceFieldIsAFreshServerForEachTestRunningThroughItsCallbacks() {
        EngineExecutionResults results = run(PerMethod.class);
        results.testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
        assertEquals(4, SEEN.size(), SEEN::toString);
        assertEquals(SEEN.get(0).endpoint(), SEEN.get(1).endpoint(), "@AfterEach sees the test's server");
        assertNotEquals(SEEN.get(0).directory(), SEEN.get(2).directory(), "each test has its own server");
        for (Seen seen : SEEN) {
            assertFalse(Files.exists(seen.directory()), "deleted: " + seen);
            assertFalse(listening(seen.endpoint()), "stopped: " + seen);
        }
    }

    @Fixture
    static class NullField {
        @StartStop
        static TestServer server;

        @Test
        void test() {}
    }

    @Fixture
    static class NotATestServer {
        @StartStop
        final String server = "a name";

        @Test
        void test() {}
    }

    @Test
    void aMarkedFieldThatHoldsNoTestServerFailsNamingTheField() {
        Throwable nullField = failure(run(NullField.class));
        assertInstanceOf(ExtensionConfigurationException.class, nullField);
        assertTrue(nullField.getMessage().contains("NullField.server holds null"), nullField.getMessage());

        Throwable notATestServer = failure(run(NotATestServer.class));
        assertInstanceOf(ExtensionConfigurationException.class, notATestServer);
        assertTrue(
                notATestServer.getMessage().contains("NotATestServer.server is a String"), notATestServer.getMessage());
    }

    @Test
    void aServerNobodyStartedSaysHowToStartIt() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> TestServer.create().s3());
        assertTrue(e.getMessage().contains("@StartStop"), e.getMessage());
    }

    private static EngineExecutionResults run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter(Fixture.PARAMETER, "true")
                .selectors(DiscoverySelectors.selectClass(fixture))
                .execute();
    }

    private static Throwable failure(EngineExecutionResults results) {
        return results.allEvents().failed().stream()
                .findFirst()
                .flatMap(e -> e.getPayload(TestExecutionResult.class))
                .flatMap(TestExecutionResult::getThrowable)
                .orElseThrow(() -> new AssertionError("nothing failed"));
    }

    private static boolean listening(URI endpoint) {
        try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A fixture class: runs only through {@link #run} (surefire skips nested classes by name anyway). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @ExtendWith(OnlyInEngineTestKit.class)
    @interface Fixture {
        String PARAMETER = "mockstorage.it.fixtures";
    }

    /** Evaluated before any callback, so a fixture run on its own starts no server. */
    static final class OnlyInEngineTestKit implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(Fixture.PARAMETER).isPresent()
                    ? ConditionEvaluationResult.enabled("run by EngineTestKit")
                    : ConditionEvaluationResult.disabled(
                            "a fixture of TestServerExtensionTest; runs only through EngineTestKit");
        }
    }
}
