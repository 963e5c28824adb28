package dev.mockstorage.testcontainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/**
 * The image is had without a registry: found in the engine, or built from what the module's jar carries; and
 * when it cannot be had, the start fails at once with a message that says what to do, never after minutes
 * of pull retries.
 */
class MockStorageImageIT {

    /** Far above the seconds a failure takes, far below Testcontainers' minutes of pull retries. */
    private static final Duration FAILS_WITHIN = Duration.ofSeconds(30);

    @BeforeAll
    static void docker() {
        DockerCheck.requireDocker();
    }

    @Test
    void aMissingImageOnABaseThatCannotBePulledFailsAtOnceSayingWhatWasTriedAndHowToBuildIt() {
        String image = "mock-storage:it-unbuildable-" + Long.toHexString(System.nanoTime());
        String base = "registry.invalid/no-such/jre:17";
        IllegalStateException e = assertTimeoutPreemptively(
                FAILS_WITHIN,
                () -> assertThrows(IllegalStateException.class, () -> MockStorageImage.ensure(image, base, true)));
        String message = e.getMessage();
        System.out.println("MockStorageImageIT: the message: " + message);
        assertTrue(message.contains(image), message);
        assertTrue(message.contains("BASE_IMAGE=" + base), message);
        assertTrue(message.contains("MOCK_STORAGE_BASE_IMAGE") && message.contains("mockstorage.baseImage"), message);
        assertTrue(message.contains("scripts/build-image.sh " + image), message);
        assertTrue(
                DockerClientFactory.instance()
                        .client()
                        .listImagesCmd()
                        .withImageNameFilter(image)
                        .exec()
                        .isEmpty(),
                "nothing is tagged " + image);
    }

    @Test
    void anotherVersionsImageThatTheEngineLacksFailsAtStartNamingTheOneThisModuleBuilds() {
        try (MockStorageContainer c = new MockStorageContainer("mock-storage:0.0.0-not-built")) {
            RuntimeException e =
                    assertTimeoutPreemptively(FAILS_WITHIN, () -> assertThrows(RuntimeException.class, c::start));
            String message = causes(e);
            assertTrue(message.contains("no image mock-storage:0.0.0-not-built"), message);
            assertTrue(message.contains(MockStorageContainer.defaultImageName().asCanonicalNameString()), message);
        }
    }

    @Test
    void theDefaultImageIsBuiltOnceAndThenReused() {
        String image = MockStorageContainer.defaultImageName().asCanonicalNameString();
        String base = MockStorageImage.baseImage();
        assertEquals(image, MockStorageImage.ensure(image, base, true)); // built here or by an earlier test
        String id = DockerClientFactory.instance()
                .client()
                .inspectImageCmd(image)
                .exec()
                .getId();

        long t0 = System.nanoTime();
        assertEquals(image, MockStorageImage.ensure(image, base, true));
        System.out.printf(
                "MockStorageImageIT: an existing image is reused in %.1f ms%n", (System.nanoTime() - t0) / 1e6);
        assertEquals(
                id,
                DockerClientFactory.instance()
                        .client()
                        .inspectImageCmd(image)
                        .exec()
                        .getId(),
                "not rebuilt");
        assertEquals(
                MockStorageImage.embeddedJarSha256(),
                DockerClientFactory.instance()
                        .client()
                        .inspectImageCmd(image)
                        .exec()
                        .getConfig()
                        .getLabels()
                        .get(MockStorageImage.JAR_LABEL));
    }

    private static String causes(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            all.append(t.getMessage()).append(" | ");
        }
        return all.toString();
    }
}
