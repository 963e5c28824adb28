package dev.mockstorage.junit5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.MockStorageRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Misuse fails at start, naming the attribute at fault. */
class MisuseTest {

    @Fixture
    @MockStorage(nodes = 0)
    static class NoNodes {
        @Test
        void test(MockStorageRuntime storage) {}
    }

    @Fixture
    static class PerClassOnMethod {
        @Test
        @MockStorage(lifecycle = MockStorage.Lifecycle.PER_CLASS)
        void test(MockStorageRuntime storage) {}
    }

    @Fixture
    @MockStorage(thirdPartyScripts = "scripts/missing.json")
    static class MissingScript {
        @Test
        void test() {}
    }

    @Fixture
    @MockStorage(thirdPartyScripts = "scripts/broken.json")
    static class BrokenScript {
        @Test
        void test() {}
    }

    @Fixture
    @MockStorage(seed = "no-such-folder")
    static class MissingSeed {
        @Test
        void test() {}
    }

    @Fixture
    @MockStorage(seed = "bad-seed")
    static class SeedWithoutBucketFolder {
        @Test
        void test() {}
    }

    @Fixture
    @MockStorage(seed = "scripts/upstream.json")
    static class SeedIsAFile {
        @Test
        void test() {}
    }

    @Fixture
    @MockStorage(config = "bad-config.json")
    static class BadConfig {
        @Test
        void test() {}
    }

    @Fixture
    @MockStorage(buckets = "Not_A_Bucket")
    static class BadBucket {
        @Test
        void test() {}
    }

    @Fixture
    @MockStorage(lifecycle = MockStorage.Lifecycle.PER_CLASS, nodes = -1)
    static class PerClassNoNodes {
        @Test
        void test() {}
    }

    @Fixture
    @MockStorage
    static class PerMethodIntoBeforeAll {
        @BeforeAll
        static void before(MockStorageRuntime storage) {}

        @Test
        void test() {}
    }

    private static Throwable failure(Class<?> fixture) {
        EngineExecutionResults results = Fixtures.run(fixture);
        assertEquals(0, results.testEvents().succeeded().count());
        return results.allEvents().failed().stream()
                .findFirst()
                .orElseThrow(() -> new AssertionError("no failure"))
                .getPayload(TestExecutionResult.class)
                .orElseThrow()
                .getThrowable()
                .orElseThrow();
    }

    private static void assertMisuse(Class<?> fixture, String... parts) {
        Throwable t = failure(fixture);
        assertTrue(t instanceof ExtensionConfigurationException, t.toString());
        for (String part : parts) {
            assertTrue(t.getMessage().contains(part), "'" + part + "' missing in: " + t.getMessage());
        }
    }

    @Test
    void zeroNodes() {
        assertMisuse(NoNodes.class, "@MockStorage(nodes = 0) on class " + NoNodes.class.getName(), "at least 1");
        assertMisuse(PerClassNoNodes.class, "@MockStorage(nodes = -1)");
    }

    @Test
    void perClassOnAMethod() {
        assertMisuse(
                PerClassOnMethod.class,
                "@MockStorage(lifecycle = PER_CLASS) on method test()",
                "only valid on a class");
    }

    @Test
    void missingOrBrokenScript() {
        assertMisuse(MissingScript.class, "thirdPartyScripts = \"scripts/missing.json\"", "no such resource");
        assertMisuse(BrokenScript.class, "thirdPartyScripts = \"scripts/broken.json\"", "status");
    }

    @Test
    void badSeedFolder() {
        assertMisuse(MissingSeed.class, "seed = \"no-such-folder\"", "no such folder");
        assertMisuse(SeedWithoutBucketFolder.class, "seed = \"bad-seed\"", "loose.txt is not inside a bucket folder");
        assertMisuse(SeedIsAFile.class, "seed = \"scripts/upstream.json\"", "not a folder");
    }

    @Test
    void badConfigAndBucket() {
        assertMisuse(BadConfig.class, "config = \"bad-config.json\"", "queue.size");
        assertMisuse(BadBucket.class, "buckets = \"Not_A_Bucket\"");
    }

    @Test
    void perMethodServerIntoBeforeAllSaysToUsePerClass() {
        Throwable t = failure(PerMethodIntoBeforeAll.class);
        assertTrue(t instanceof ParameterResolutionException, t.toString());
        assertTrue(t.getMessage().contains("lifecycle = PER_CLASS"), t.getMessage());
    }
}
