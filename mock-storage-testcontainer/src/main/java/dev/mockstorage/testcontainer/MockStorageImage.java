package dev.mockstorage.testcontainer;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.LazyFuture;

/**
 * The image {@code mock-storage:<version>}, found in the Docker engine or built there from what this
 * module's jar carries: the Dockerfile and the server's standalone jar (a resource, never on the
 * classpath), on a base image that is a setting. No registry is needed; a build is tagged with the
 * version and the standalone jar's SHA-256 (a label), and reused by every later start whose jar is
 * the same. An image of that name without the label (built by hand) is used as it is.
 */
final class MockStorageImage {

    /** The image's repository name; no registry has it, the engine builds it. */
    static final String REPOSITORY = "mock-storage";

    /** This module's version: the tag of the image it starts and builds by default. */
    static final String VERSION = moduleVersion();

    /** System property naming the base image of a build (wins over {@link #BASE_IMAGE_ENV}). */
    static final String BASE_IMAGE_PROPERTY = "mockstorage.baseImage";

    /** Environment variable naming the base image of a build. */
    static final String BASE_IMAGE_ENV = "MOCK_STORAGE_BASE_IMAGE";

    /** The base image when neither setting is given: a Java 17 runtime. */
    static final String DEFAULT_BASE_IMAGE = "eclipse-temurin:17-jre";

    /** The label carrying the SHA-256 of the standalone jar an image was built from. */
    static final String JAR_LABEL = "dev.mockstorage.jar-sha256";

    /** Where the build context (Dockerfile, data/, mock-storage.jar) lies in this module's jar. */
    private static final String CONTEXT = "dev/mockstorage/testcontainer/image/";

    private static final Logger LOG = LoggerFactory.getLogger(MockStorageImage.class);

    /** One build at a time in this JVM: containers started together wait for the first one's image. */
    private static final Object BUILD_LOCK = new Object();

    private static volatile String jarSha256;

    private MockStorageImage() {}

    /** {@code mock-storage:<version of this module>}. */
    static DockerImageName defaultName() {
        return DockerImageName.parse(REPOSITORY + ":" + VERSION);
    }

    /** True for names this module can make itself: {@code mock-storage:<tag>} with no registry in front. */
    static boolean isOwn(DockerImageName name) {
        return name.getRegistry().isEmpty() && REPOSITORY.equals(name.getRepository());
    }

    /** The base image of a build: the system property, else the variable, else {@link #DEFAULT_BASE_IMAGE}. */
    static String baseImage() {
        String property = System.getProperty(BASE_IMAGE_PROPERTY);
        if (property != null && !property.isBlank()) {
            return property.trim();
        }
        String env = System.getenv(BASE_IMAGE_ENV);
        return env != null && !env.isBlank() ? env.trim() : DEFAULT_BASE_IMAGE;
    }

    /** Resolved when the container starts, never before: nothing here touches Docker at construction. */
    static Future<String> resolveAtStart(DockerImageName name) {
        String image = name.asCanonicalNameString();
        return new LazyFuture<>() {
            @Override
            protected String resolve() {
                return ensure(image, baseImage(), image.equals(defaultName().asCanonicalNameString()));
            }
        };
    }

    /**
     * Makes sure the engine has {@code image}: an image built from this module's jar, or one without the
     * jar label (built by hand), is used as it is. A missing one (or one built from another jar of this
     * version, i.e. a snapshot) is built when {@code mayBuild} (the default tag); otherwise it must exist.
     *
     * @throws IllegalStateException naming the image, what was tried and the command that builds it
     */
    static String ensure(String image, String baseImage, boolean mayBuild) {
        DockerClient docker = client(image);
        String wanted = embeddedJarSha256();
        synchronized (BUILD_LOCK) {
            InspectImageResponse found = inspect(docker, image);
            if (found != null) {
                Map<String, String> labels =
                        found.getConfig() == null ? null : found.getConfig().getLabels();
                String label = labels == null ? null : labels.get(JAR_LABEL);
                if (label == null || label.equals(wanted)) {
                    return image;
                }
                LOG.info("{} was built from another mock-storage jar of this version; building it again", image);
            } else if (!mayBuild) {
                throw new IllegalStateException("The Docker engine has no image " + image + ", and no registry serves "
                        + REPOSITORY + ". This mock-storage-testcontainer (" + VERSION + ") builds "
                        + defaultName().asCanonicalNameString()
                        + " by itself: use new MockStorageContainer() or that name;"
                        + " another version's image is built from its own mock-storage-testcontainer jar.");
            }
            return build(image, baseImage, wanted);
        }
    }

    private static String build(String image, String baseImage, String jarSha256) {
        long started = System.nanoTime();
        LOG.info(
                "Building {} on {} from the mock-storage-testcontainer jar (once; later starts reuse it)",
                image,
                baseImage);
        Path jar = null;
        boolean temporary = false;
        try {
            URL resource = resource("mock-storage.jar");
            if ("file".equals(resource.getProtocol())) {
                jar = Path.of(resource.toURI());
            } else {
                jar = Files.createTempFile("mock-storage-image-", ".jar");
                temporary = true;
                try (InputStream in = resource.openStream()) {
                    Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            new ImageFromDockerfile(image, false)
                    .withFileFromTransferable("Dockerfile", Transferable.of(bytes("Dockerfile")))
                    .withFileFromTransferable("data/README.txt", Transferable.of(bytes("data/README.txt")))
                    .withFileFromPath("mock-storage.jar", jar)
                    .withBuildArg("BASE_IMAGE", baseImage)
                    .withBuildImageCmdModifier(cmd -> cmd.withLabels(Map.of(JAR_LABEL, jarSha256)))
                    .get();
        } catch (IOException | URISyntaxException e) {
            throw new UncheckedIOException(new IOException(
                    "mock-storage image " + image
                            + ": could not read the build context from the mock-storage-testcontainer jar: "
                            + e.getMessage(),
                    e));
        } catch (RuntimeException e) {
            throw new IllegalStateException(buildFailed(image, baseImage, rootMessage(e)), e);
        } finally {
            if (temporary) {
                try {
                    Files.deleteIfExists(jar);
                } catch (IOException ignored) {
                    // a temporary file; the OS cleans its temp directory
                }
            }
        }
        LOG.info("Built {} in {} ms", image, (System.nanoTime() - started) / 1_000_000);
        return image;
    }

    static String buildFailed(String image, String baseImage, String cause) {
        return "The Docker engine has no image " + image + ", and building it failed: " + cause
                + ". Tried: docker build"
                + " with BASE_IMAGE=" + baseImage + " (the system property " + BASE_IMAGE_PROPERTY + " or the variable "
                + BASE_IMAGE_ENV + " names the base; default " + DEFAULT_BASE_IMAGE
                + "). Give a Java 17 base the engine"
                + " has or can pull (without a registry: scripts/make-jre-base.sh of the mock-storage repository makes"
                + " local/jre17:offline), or build the image yourself: in a mock-storage checkout, `mvn package -DskipTests`"
                + " then `scripts/build-image.sh " + image + " <base image>`.";
    }

    /** @throws IllegalStateException naming the image when Testcontainers finds no Docker engine */
    static void requireEngine(String image) {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw noEngine(image, null);
        }
    }

    private static DockerClient client(String image) {
        try {
            return DockerClientFactory.instance().client();
        } catch (RuntimeException e) {
            throw noEngine(image, e);
        }
    }

    private static IllegalStateException noEngine(String image, RuntimeException cause) {
        return new IllegalStateException(
                "Cannot start " + image + ": no Docker engine answers (Testcontainers tried"
                        + " DOCKER_HOST, ~/.testcontainers.properties and the usual sockets; its log says what each gave)."
                        + " Start one (e.g. `dockerd`, Docker Desktop) or point DOCKER_HOST at it; the image is then built there"
                        + " from this jar, or by hand: in a mock-storage checkout, `mvn package -DskipTests` then"
                        + " `scripts/build-image.sh " + image + " <base image>`.",
                cause);
    }

    private static InspectImageResponse inspect(DockerClient docker, String image) {
        try {
            return docker.inspectImageCmd(image).exec();
        } catch (NotFoundException e) {
            return null;
        }
    }

    /** SHA-256 of the standalone jar this module carries, read once per JVM. */
    static String embeddedJarSha256() {
        String known = jarSha256;
        if (known != null) {
            return known;
        }
        try (InputStream in = new DigestInputStream(
                resource("mock-storage.jar").openStream(), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            known = HexFormat.of()
                    .formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        jarSha256 = known;
        return known;
    }

    private static URL resource(String name) {
        URL url = MockStorageImage.class.getClassLoader().getResource(CONTEXT + name);
        if (url == null) {
            throw new IllegalStateException(CONTEXT + name + " is missing from the mock-storage-testcontainer jar"
                    + " (its build copies the standalone jar there)");
        }
        return url;
    }

    private static byte[] bytes(String name) throws IOException {
        try (InputStream in = resource(name).openStream()) {
            return in.readAllBytes();
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message.strip();
    }

    private static String moduleVersion() {
        Properties p = new Properties();
        try (InputStream in = MockStorageImage.class.getResourceAsStream("image.properties")) {
            if (in == null) {
                throw new IllegalStateException("image.properties is missing from the mock-storage-testcontainer jar");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version");
    }
}
