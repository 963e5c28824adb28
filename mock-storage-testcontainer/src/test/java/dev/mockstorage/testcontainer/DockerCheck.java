package dev.mockstorage.testcontainer;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

/**
 * Container tests need a Docker engine. Without one they are skipped with that reason, except where the
 * variable {@code CI} is set: CI must run them, so there it is a failure. The image needs nothing: the
 * first container built from {@link MockStorageContainer#defaultImageName()} builds it when the engine lacks it.
 */
final class DockerCheck {

    private DockerCheck() {}

    static void requireDocker() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            String reason = "no Docker engine is available (see scripts/ensure-docker.sh)";
            if (System.getenv("CI") != null) {
                fail(reason + ", and CI is set: the container tests must run in CI");
            }
            Assumptions.abort("container tests skipped: " + reason);
        }
    }
}
