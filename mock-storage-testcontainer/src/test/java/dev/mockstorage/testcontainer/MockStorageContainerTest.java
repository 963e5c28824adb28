package dev.mockstorage.testcontainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.internal.config.ConfigLoader;
import dev.mockstorage.internal.config.Setting;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.utility.DockerImageName;

/** What the container class checks and sets before anything runs; needs no Docker. */
class MockStorageContainerTest {

    @Test
    void theDefaultImageIsTheProjectVersionNeverLatest() {
        DockerImageName image = MockStorageContainer.defaultImageName();
        assertEquals("mock-storage", image.getUnversionedPart());
        assertEquals(System.getProperty("project.version"), image.getVersionPart());
        assertNotEquals("latest", image.getVersionPart());
        // constructing a container touches no Docker engine: the image is found or built at start()
        new MockStorageContainer().close();
    }

    @Test
    void theBaseImageOfABuildIsTheSystemPropertyThenTheVariableThenTemurin() {
        String before = System.getProperty(MockStorageImage.BASE_IMAGE_PROPERTY);
        try {
            System.setProperty(MockStorageImage.BASE_IMAGE_PROPERTY, "local/jre17:probe");
            assertEquals("local/jre17:probe", MockStorageImage.baseImage());
            System.clearProperty(MockStorageImage.BASE_IMAGE_PROPERTY);
            String env = System.getenv(MockStorageImage.BASE_IMAGE_ENV);
            assertEquals(
                    env == null || env.isBlank() ? "eclipse-temurin:17-jre" : env.trim(), MockStorageImage.baseImage());
        } finally {
            if (before == null) {
                System.clearProperty(MockStorageImage.BASE_IMAGE_PROPERTY);
            } else {
                System.setProperty(MockStorageImage.BASE_IMAGE_PROPERTY, before);
            }
        }
    }

    @Test
    void theJarCarriesTheImagesBuildContext() {
        assertTrue(MockStorageImage.embeddedJarSha256().matches("[0-9a-f]{64}"));
        assertTrue(MockStorageImage.isOwn(DockerImageName.parse("mock-storage:1.2.3")));
        assertFalse(MockStorageImage.isOwn(DockerImageName.parse("registry.example/mock-storage:1.2.3")));
    }

    @Test
    void everySettingNameBecomesTheServersVariable() {
        for (Setting<?> setting : Setting.values()) {
            assertEquals(setting.envName(), MockStorageContainer.envName(setting.dottedName()), setting.dottedName());
        }
        assertEquals(ConfigLoader.CONFIG_FILE_ENV, MockStorageContainer.CONFIG_FILE_ENV);
        try (MockStorageContainer c = new MockStorageContainer().withSetting("queue.workers", "4")) {
            assertEquals("4", c.getEnvMap().get("MOCK_STORAGE_QUEUE_WORKERS"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> c.withSetting("QUEUE_WORKERS", "4"))
                    .getMessage()
                    .startsWith("withSetting"));
        }
    }

    @Test
    void anotherImageNeedsToBeDeclaredCompatible() {
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> new MockStorageContainer("minio/minio:RELEASE.2025"));
        assertTrue(e.getMessage().contains("mock-storage"), e.getMessage());
        new MockStorageContainer(DockerImageName.parse("registry.example/team/s3-fixture:1.0")
                        .asCompatibleSubstituteFor("mock-storage"))
                .close();
        new MockStorageContainer("mock-storage:0.0.9").close();
    }

    @Test
    void settingsBecomeTheServersEnvironmentVariables() {
        try (MockStorageContainer c = new MockStorageContainer()
                .withNodes(5)
                .withBuckets("alpha", "beta")
                .withThirdPartyUrl("http://upstream:9000/{bucket}/{key}")) {
            assertEquals("5", c.getEnvMap().get("MOCK_STORAGE_STORAGE_NODES"));
            assertEquals("alpha,beta", c.getEnvMap().get("MOCK_STORAGE_STORAGE_BUCKETS"));
            assertEquals("http://upstream:9000/{bucket}/{key}", c.getEnvMap().get("MOCK_STORAGE_THIRD_PARTY_URL"));
            assertEquals(java.util.List.of(8080), c.getExposedPorts());
        }
    }

    @Test
    void withStrictAuthAndCredentialsBecomeTheAuthVariables() {
        try (MockStorageContainer c = new MockStorageContainer()) {
            assertEquals("mock-access-key", c.getAccessKey());
            assertEquals("mock-secret-key", c.getSecretKey());
            assertEquals(null, c.getEnvMap().get("MOCK_STORAGE_AUTH_MODE"));
            c.withStrictAuth().withCredentials("AKIDCONTAINER", "container-secret");
            assertEquals("strict", c.getEnvMap().get("MOCK_STORAGE_AUTH_MODE"));
            assertEquals("AKIDCONTAINER", c.getEnvMap().get("MOCK_STORAGE_AUTH_ACCESS_KEY"));
            assertEquals("container-secret", c.getEnvMap().get("MOCK_STORAGE_AUTH_SECRET_KEY"));
            assertEquals("AKIDCONTAINER", c.getAccessKey());
            assertEquals("container-secret", c.getSecretKey());
            assertTrue(assertThrows(IllegalArgumentException.class, () -> c.withCredentials("a/b", "s"))
                    .getMessage()
                    .startsWith("withCredentials"));
        }
    }

    @Test
    void runtimeBeforeStartSaysToStartTheContainer() {
        try (MockStorageContainer c = new MockStorageContainer()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, c::runtime);
            assertTrue(e.getMessage().startsWith("runtime()") && e.getMessage().contains("start()"), e.getMessage());
        }
    }

    @Test
    void badArgumentsFailAtOnceNamingTheMethod(@TempDir Path dir) {
        try (MockStorageContainer c = new MockStorageContainer()) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> c.withNodes(0))
                    .getMessage()
                    .startsWith("withNodes"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> c.withBuckets())
                    .getMessage()
                    .startsWith("withBuckets"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> c.withBuckets("a,b"))
                    .getMessage()
                    .startsWith("withBuckets"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> c.withConfig(dir.resolve("missing.json")))
                    .getMessage()
                    .startsWith("withConfig"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> c.withThirdPartyScript(dir))
                    .getMessage()
                    .startsWith("withThirdPartyScript"));
            assertThrows(IllegalArgumentException.class, () -> c.withThirdPartyUrl("http://bad host/{key}"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> c.withThirdPartyUrl("http://upstream:9000/"))
                    .getMessage()
                    .contains("{key}"));
        }
    }
}
