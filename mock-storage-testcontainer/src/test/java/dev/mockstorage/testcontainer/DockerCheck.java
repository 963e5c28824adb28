package dev.mockstorage.testcontainer;

import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.exception.NotFoundException;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

/**
 * Container tests need a Docker engine and the image. Without an engine they are skipped with that
 * reason, except where the variable {@code CI} is set: CI must run them, so there it is a failure.
 * A missing image is always a failure (the build makes it; scripts/build-image.sh by hand).
 */
final class DockerCheck {

    private DockerCheck() {
    }

    static void requireDockerAndImage() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            String reason = "no Docker engine is available (see scripts/ensure-docker.sh)";
            if (System.getenv("CI") != null) {
                fail(reason + ", and CI is set: the container tests must run in CI");
            }
            Assumptions.abort("container tests skipped: " + reason);
        }
        String image = MockStorageContainer.defaultImageName().asCanonicalNameString();
        try {
            DockerClientFactory.instance().client().inspectImageCmd(image).exec();
        } catch (NotFoundException e) {
            fail("the image " + image + " is missing: `mvn verify` builds it, or run scripts/build-image.sh"
                    + " (offline: scripts/make-jre-base.sh first and pass local/jre17:offline as BASE_IMAGE)");
        }
    }
}
