package dev.mockstorage.testcontainer;

import dev.mockstorage.MockStorageRuntime;
import dev.mockstorage.internal.remote.HttpAdminClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * mock-storage in a Docker container: an S3-compatible endpoint for tests, started by Testcontainers.
 *
 * <pre>{@code
 * @Container
 * static MockStorageContainer storage = new MockStorageContainer().withBuckets("photos");
 *
 * S3Client s3 = S3Client.builder()
 *         .endpointOverride(storage.getS3Endpoint())
 *         .region(Region.of(storage.getRegion()))
 *         .credentialsProvider(StaticCredentialsProvider.create(
 *                 AwsBasicCredentials.create(storage.getAccessKey(), storage.getSecretKey())))
 *         .forcePathStyle(true)
 *         .build();
 * }</pre>
 *
 * <p>The container is ready when {@code GET /health} answers 200 (usually about a second after
 * {@link #start()}). Inside, the server listens on {@link #PORT} on every interface and keeps its data
 * in the volume {@code /data}; every setting of {@code config.json} can be given with
 * {@link #withEnv(String, String)} as its {@code MOCK_STORAGE_*} variable (see the README). Other
 * containers on the same network reach it at {@code http://<alias>:8080} after
 * {@code withNetwork(network).withNetworkAliases(alias)}.
 *
 * <p>The default image is {@code mock-storage:<version of this module>} (there is no {@code latest} tag).
 * No registry is needed: when the Docker engine does not have it, the first {@link #start()} builds it
 * from the Dockerfile and the server's standalone jar that this module carries (a few seconds, once;
 * later starts reuse it). The base image of that build is the system property
 * {@code mockstorage.baseImage} or the variable {@code MOCK_STORAGE_BASE_IMAGE}, default
 * {@code eclipse-temurin:17-jre}. Another name is accepted when it is declared compatible:
 * {@code DockerImageName.parse("registry.example/mock-storage:0.1.0").asCompatibleSubstituteFor("mock-storage")};
 * such an image is pulled as usual.
 */
public class MockStorageContainer extends GenericContainer<MockStorageContainer> {

    /** The image name without tag; other names must be declared compatible substitutes for it. */
    public static final DockerImageName DEFAULT_IMAGE_NAME = DockerImageName.parse("mock-storage");

    /** The port the server listens on inside the container (S3 and the admin API). */
    public static final int PORT = 8080;

    /** Where {@link #withConfig(Path)} puts the config.json inside the container. */
    static final String CONFIG_PATH = "/config/config.json";

    /** Where {@link #withThirdPartyScript(Path)} puts the third-party script inside the container. */
    static final String THIRD_PARTY_SCRIPTS_PATH = "/config/third-party.json";

    /** The variable naming the server's config.json. */
    static final String CONFIG_FILE_ENV = "MOCK_STORAGE_CONFIG";

    /** A setting's dotted name: {@code section.name}, lower case, digits and underscores. */
    private static final Pattern SETTING_NAME = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");

    /** True for {@code mock-storage:<tag>}: no registry serves it, the engine has it or builds it. */
    private final boolean ownImage;

    private final String ownImageName;

    /** The handle of the running container, made on the first {@link #runtime()} after each start. */
    private HttpAdminClient runtime;

    /**
     * A container of the default image, {@code mock-storage:<version of this module>}, built at the first
     * {@link #start()} when the Docker engine does not have it.
     */
    public MockStorageContainer() {
        this(MockStorageImage.defaultName());
    }

    /**
     * @param dockerImageName e.g. {@code "mock-storage:0.1.0-SNAPSHOT"}
     * @throws IllegalStateException when the name is not {@code mock-storage} or a declared substitute
     */
    public MockStorageContainer(String dockerImageName) {
        this(DockerImageName.parse(dockerImageName));
    }

    /**
     * @param dockerImageName {@code mock-storage:<tag>}, or another name declared with
     *                        {@link DockerImageName#asCompatibleSubstituteFor(String)}
     * @throws IllegalStateException when the name is neither
     */
    public MockStorageContainer(DockerImageName dockerImageName) {
        super(dockerImageName);
        dockerImageName.assertCompatibleWith(DEFAULT_IMAGE_NAME);
        ownImage = MockStorageImage.isOwn(dockerImageName);
        ownImageName = dockerImageName.asCanonicalNameString();
        if (ownImage) {
            // no registry serves mock-storage: found in the engine or built there, at start (never a pull)
            setImage(MockStorageImage.resolveAtStart(dockerImageName));
        }
        withExposedPorts(PORT);
        // the port alone proves nothing: docker-proxy accepts on the host port before the JVM serves
        waitingFor(Wait.forHttp("/health").forPort(PORT).forStatusCode(200).withStartupTimeout(Duration.ofSeconds(60)));
    }

    /**
     * Starts the container; with the default image, first builds it when the Docker engine does not have it.
     *
     * @throws IllegalStateException within seconds when no Docker engine answers, or when the image is missing
     *                               and cannot be built; the message names the image, what was tried and the
     *                               command that builds it
     */
    @Override
    public void start() {
        if (ownImage) {
            MockStorageImage.requireEngine(ownImageName);
        }
        super.start();
    }

    /** The image the no-argument constructor starts (and builds when missing): {@code mock-storage:<version>}. */
    public static DockerImageName defaultImageName() {
        return MockStorageImage.defaultName();
    }

    /**
     * Any setting of the server's configuration (the README's table) by its dotted name, e.g.
     * {@code withSetting("queue.workers", "4")}; it becomes the variable {@code MOCK_STORAGE_QUEUE_WORKERS}.
     * The server checks the value at start: a bad one stops the container with a message naming the setting
     * (in the container log).
     *
     * @throws IllegalArgumentException when {@code name} is not of the form {@code section.name}
     */
    public MockStorageContainer withSetting(String name, String value) {
        Objects.requireNonNull(value, "value");
        return withEnv(envName(name), value);
    }

    /** {@code storage.nodes} -> {@code MOCK_STORAGE_STORAGE_NODES}, the server's naming rule. */
    static String envName(String setting) {
        if (setting == null || !SETTING_NAME.matcher(setting).matches()) {
            throw new IllegalArgumentException(
                    "withSetting: \"" + setting + "\" is not a setting name (e.g. queue.workers)");
        }
        return "MOCK_STORAGE_" + setting.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /**
     * Storage nodes {@code stg1..stgN} under {@code /data} ({@code storage.nodes}; default 3).
     *
     * @throws IllegalArgumentException when {@code count} is below 1
     */
    public MockStorageContainer withNodes(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("withNodes: at least 1 node is needed, got " + count);
        }
        return withEnv(envName("storage.nodes"), Integer.toString(count));
    }

    /**
     * Strict auth mode ({@code auth.mode=strict}): every S3 request must be signed with AWS Signature
     * Version 4 (header, presigned URL, signed chunks) by {@link #getAccessKey()}/{@link #getSecretKey()};
     * a wrong secret answers {@code 403 SignatureDoesNotMatch}, an unknown key {@code InvalidAccessKeyId},
     * an expired presigned URL {@code AccessDenied}. The admin API ({@code /api/v1/...}) takes the same signatures
     * ({@code /health} and {@code /metrics} stay open); {@link #runtime()} signs its calls with these keys. Default: any
     * credentials.
     */
    public MockStorageContainer withStrictAuth() {
        return withEnv(envName("auth.mode"), "strict");
    }

    /**
     * The key pair the server knows ({@code auth.access_key}, {@code auth.secret_key}); returned by
     * {@link #getAccessKey()}/{@link #getSecretKey()} and checked with {@link #withStrictAuth()}.
     *
     * @throws IllegalArgumentException when a key is blank (or the access key contains '/' or spaces)
     */
    public MockStorageContainer withCredentials(String accessKey, String secretKey) {
        if (accessKey == null || accessKey.isBlank() || accessKey.contains("/") || accessKey.contains(" ")) {
            throw new IllegalArgumentException("withCredentials: \"" + accessKey + "\" is not an access key id");
        }
        if (secretKey == null || secretKey.isEmpty()) {
            throw new IllegalArgumentException("withCredentials: the secret key must not be empty");
        }
        return withEnv(envName("auth.access_key"), accessKey).withEnv(envName("auth.secret_key"), secretKey);
    }

    /**
     * Buckets that exist when the container is ready ({@code storage.buckets}). Names follow S3's
     * rules; a bad one stops the container at start with a message naming it (in the container log).
     *
     * @throws IllegalArgumentException when no name is given or a name is blank or contains a comma
     */
    public MockStorageContainer withBuckets(String... names) {
        Objects.requireNonNull(names, "names");
        if (names.length == 0) {
            throw new IllegalArgumentException("withBuckets: give at least one bucket name");
        }
        for (String name : names) {
            if (name == null || name.isBlank() || name.contains(",")) {
                throw new IllegalArgumentException("withBuckets: \"" + name + "\" is not a bucket name");
            }
        }
        return withEnv(envName("storage.buckets"), String.join(",", names));
    }

    /**
     * The third-party upstream objects are read through from when they are not stored
     * ({@code third_party.url}, a URL template with {@code {key}} and optionally {@code {bucket}}, e.g.
     * {@code http://upstream:9000/{bucket}/{key}}). From inside the container, {@code localhost} is the container
     * itself: give a network alias, or {@code host.testcontainers.internal} with
     * {@code Testcontainers.exposeHostPorts(port)} for a server on the test's host.
     */
    public MockStorageContainer withThirdPartyUrl(String url) {
        Objects.requireNonNull(url, "url");
        if (!url.contains("{key}")) {
            throw new IllegalArgumentException("withThirdPartyUrl: \"" + url + "\" has no {key} placeholder"
                    + " (e.g. http://upstream:9000/{bucket}/{key})");
        }
        try { // fails here, naming the text, rather than in the container
            URI.create(url.replace("{bucket}", "b").replace("{key}", "k"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("withThirdPartyUrl: \"" + url + "\" is not a URL: " + e.getMessage(), e);
        }
        return withEnv(envName("third_party.url"), url);
    }

    /**
     * Scripts of the third-party upstream from a JSON file: the same JSON the annotation takes
     * ({@code third_party.scripts}). Only this file is copied into the container at start: a
     * {@code body_file} in it is a path inside the container (copy it there with
     * {@code withCopyFileToContainer}); or give bodies inline ({@code body}, {@code body_base64}), or
     * script after start with {@code runtime().thirdParty().loadScripts(path)}, which reads the files here.
     *
     * @throws IllegalArgumentException when the file is not a readable regular file
     */
    public MockStorageContainer withThirdPartyScript(Path jsonFile) {
        requireReadableFile(jsonFile, "withThirdPartyScript");
        withCopyFileToContainer(MountableFile.forHostPath(jsonFile, 0644), THIRD_PARTY_SCRIPTS_PATH);
        return withEnv(envName("third_party.scripts"), THIRD_PARTY_SCRIPTS_PATH);
    }

    /** Like {@link #withThirdPartyScript(Path)}, with the JSON given as text. */
    public MockStorageContainer withThirdPartyScript(String json) {
        Objects.requireNonNull(json, "json");
        withCopyToContainer(Transferable.of(json, 0644), THIRD_PARTY_SCRIPTS_PATH);
        return withEnv(envName("third_party.scripts"), THIRD_PARTY_SCRIPTS_PATH);
    }

    /**
     * A {@code config.json} for the server, copied into the container at start. Settings made with
     * the {@code withX} methods or {@code MOCK_STORAGE_*} variables win over it, and so do the image's
     * own {@code server.host} (0.0.0.0), {@code server.port} (8080) and {@code storage.data_dir} (/data),
     * which the container needs; node paths and the database file may point elsewhere.
     *
     * @throws IllegalArgumentException when the file is not a readable regular file
     */
    public MockStorageContainer withConfig(Path configJson) {
        requireReadableFile(configJson, "withConfig");
        withCopyFileToContainer(MountableFile.forHostPath(configJson, 0644), CONFIG_PATH);
        return withEnv(CONFIG_FILE_ENV, CONFIG_PATH);
    }

    /** The S3 endpoint as the test's host reaches it, e.g. {@code http://localhost:32768}; path-style. */
    public URI getS3Endpoint() {
        return URI.create("http://" + getHost() + ":" + getMappedPort(PORT));
    }

    /** The admin API ({@code /health}, {@code /api/v1/...}); the same port as S3. */
    public URI getAdminUrl() {
        return getS3Endpoint();
    }

    /**
     * The same handle a test holds on the in-process server ({@code MockStorageServer}, {@code @MockStorage}),
     * here over the admin HTTP API: script the third party, verify requests, {@code awaitIdle}, stats,
     * node faults, reset. Test code written against {@link MockStorageRuntime} runs unchanged on both.
     *
     * <pre>{@code
     * MockStorageRuntime storage = container.runtime();
     * storage.thirdParty().script(ThirdPartyScript.when(Match.get("photos", "cat.jpg")).respond(Reply.ok("meow")));
     * // ... the code under test reads photos/cat.jpg through storage.endpoint() ...
     * storage.thirdParty().verify(Times.once(), Match.get("photos", "cat.jpg"));
     * }</pre>
     *
     * What names a file or classpath resource of the test's JVM ({@code Reply.bodyFromFile},
     * {@code bodyFromClasspath}, {@code loadScripts(Path)}) is read in the test's JVM and sent inline
     * (up to 8 MiB per body); larger bodies are refused, saying to copy the file into the container.
     * Every call is signed with {@link #getAccessKey()}/{@link #getSecretKey()}, as {@link #withStrictAuth()} requires.
     *
     * @throws IllegalStateException when the container is not running (call {@link #start()} first)
     */
    public synchronized MockStorageRuntime runtime() {
        if (getContainerId() == null || !isRunning()) {
            throw new IllegalStateException("runtime(): the container is not running; start() it first"
                    + " (@Container starts it before the tests)");
        }
        URI endpoint = getS3Endpoint();
        if (runtime == null || !runtime.endpoint().equals(endpoint)) {
            runtime = new HttpAdminClient(endpoint, getAccessKey(), getSecretKey());
        }
        return runtime;
    }

    /** The region to configure clients with; the server answers for {@code us-east-1}. */
    public String getRegion() {
        return MockStorageRuntime.DEFAULT_REGION;
    }

    /**
     * The access key to configure clients with: {@link #withCredentials}'s, else {@code mock-access-key}.
     * Any key is accepted unless {@link #withStrictAuth()} is on.
     */
    public String getAccessKey() {
        return getEnvMap().getOrDefault(envName("auth.access_key"), MockStorageRuntime.DEFAULT_ACCESS_KEY);
    }

    /** The secret key belonging to {@link #getAccessKey()}; checked only with {@link #withStrictAuth()}. */
    public String getSecretKey() {
        return getEnvMap().getOrDefault(envName("auth.secret_key"), MockStorageRuntime.DEFAULT_SECRET_KEY);
    }

    private static void requireReadableFile(Path file, String method) {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException(method + ": " + file + " is not a readable file");
        }
    }
}
