package dev.mockstorage.testcontainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.verification.Times;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The image and {@link MockStorageContainer} for real: the image the build made, started by
 * Testcontainers, used with the AWS SDK v2 and reached from another container by network alias.
 */
class MockStorageContainerIT {

    /** One container for the tests that only read or use their own bucket: 5 nodes, two preset buckets. */
    private static MockStorageContainer shared;

    @BeforeAll
    static void startShared() {
        DockerCheck.requireDocker();
        shared = new MockStorageContainer().withNodes(5).withBuckets("preset-one", "preset-two");
        long t0 = System.nanoTime();
        shared.start();
        System.out.printf(
                "MockStorageContainerIT: start() to healthy in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }

    @AfterAll
    static void stopShared() {
        if (shared != null) {
            shared.stop();
        }
    }

    static S3Client s3(MockStorageContainer c) {
        return S3Client.builder()
                .endpointOverride(c.getS3Endpoint())
                .region(Region.of(c.getRegion()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(c.getAccessKey(), c.getSecretKey())))
                .forcePathStyle(true)
                .build();
    }

    static HttpResponse<String> get(URI uri) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    static long count(String text, String needle) {
        return (text.length() - text.replace(needle, "").length()) / needle.length();
    }

    @Test
    void putGetListWithTheAwsSdkOnTheMappedEndpoint() {
        URI endpoint = shared.getS3Endpoint();
        assertEquals("http", endpoint.getScheme());
        assertEquals(shared.getMappedPort(MockStorageContainer.PORT), endpoint.getPort());
        try (S3Client s3 = s3(shared)) {
            s3.createBucket(b -> b.bucket("round-trip"));
            s3.putObject(
                    b -> b.bucket("round-trip").key("dir/hello.txt"), RequestBody.fromString("hello from a container"));
            s3.putObject(b -> b.bucket("round-trip").key("dir/second.txt"), RequestBody.fromString("2"));
            assertEquals(
                    "hello from a container",
                    s3.getObjectAsBytes(b -> b.bucket("round-trip").key("dir/hello.txt"))
                            .asUtf8String());
            assertEquals(
                    List.of("dir/hello.txt", "dir/second.txt"),
                    s3.listObjectsV2(b -> b.bucket("round-trip").prefix("dir/")).contents().stream()
                            .map(S3Object::key)
                            .toList());
        }
    }

    @Test
    void healthOnTheAdminUrlShowsTheNodesOfWithNodes() throws Exception {
        HttpResponse<String> health = get(shared.getAdminUrl().resolve("/health"));
        assertEquals(200, health.statusCode());
        assertTrue(
                health.body().contains("\"status\" : \"UP\"") || health.body().contains("\"status\":\"UP\""),
                health.body());
        assertEquals(5, count(health.body(), "\"path\""), health.body());
        assertTrue(health.body().contains("/data/stg5"), health.body());
    }

    @Test
    void withBucketsExistWhenTheContainerIsReady() {
        try (S3Client s3 = s3(shared)) {
            List<String> names =
                    s3.listBuckets().buckets().stream().map(Bucket::name).toList();
            assertTrue(names.containsAll(List.of("preset-one", "preset-two")), names.toString());
        }
    }

    @Test
    void runsAsANonRootUserWithTheVolumeWritable() {
        assertEquals("10001:10001", shared.getContainerInfo().getConfig().getUser());
        assertTrue(
                shared.getContainerInfo().getMounts().stream()
                        .anyMatch(m -> "/data".equals(m.getDestination().getPath())),
                "the data directory is a volume");
        // SQLite and the nodes live in /data: a write proves uid 10001 may write there
        try (S3Client s3 = s3(shared)) {
            s3.putObject(b -> b.bucket("preset-one").key("written-by-10001"), RequestBody.fromString("x"));
            assertEquals(
                    1,
                    s3.headObject(b -> b.bucket("preset-one").key("written-by-10001"))
                            .contentLength());
        }
    }

    @Test
    void withConfigReadsTheConfigJson(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("config.json"), """
                { "server": {"host": "127.0.0.1", "port": 9999},
                  "storage": {"nodes": [{"id": "disk-a"}, {"id": "disk-b"}], "auto_create_buckets": true} }
                """);
        try (MockStorageContainer c = new MockStorageContainer().withConfig(config)) {
            c.start(); // host and port of the file are overridden by the image: 0.0.0.0:8080 is what gets mapped
            String health = get(c.getAdminUrl().resolve("/health")).body();
            assertTrue(health.contains("\"disk-a\"") && health.contains("\"disk-b\""), health);
            assertEquals(2, count(health, "\"path\""), health);
            try (S3Client s3 = s3(c)) { // auto_create_buckets from the file: no CreateBucket needed
                s3.putObject(b -> b.bucket("made-on-put").key("k"), RequestBody.fromString("v"));
                assertEquals(
                        "v",
                        s3.getObjectAsBytes(b -> b.bucket("made-on-put").key("k"))
                                .asUtf8String());
            }
        }
    }

    @Test
    void withStrictAuthChecksSignaturesOnS3AndTheAdminApiAndTheRuntimeSignsItsCalls() throws Exception {
        try (MockStorageContainer c = new MockStorageContainer()
                .withStrictAuth()
                .withCredentials("AKIDIT", "it-secret")
                .withBuckets("signed")) {
            c.start();
            try (S3Client s3 = s3(c)) {
                s3.putObject(b -> b.bucket("signed").key("k"), RequestBody.fromString("v"));
                assertEquals(
                        "v",
                        s3.getObjectAsBytes(b -> b.bucket("signed").key("k")).asUtf8String());
            }
            try (S3Client wrong = S3Client.builder()
                    .endpointOverride(c.getS3Endpoint())
                    .region(Region.of(c.getRegion()))
                    .credentialsProvider(
                            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDIT", "wrong")))
                    .forcePathStyle(true)
                    .build()) {
                S3Exception e = assertThrows(S3Exception.class, () -> wrong.listObjectsV2(b -> b.bucket("signed")));
                assertEquals("SignatureDoesNotMatch", e.awsErrorDetails().errorCode());
            }
            assertEquals(403, get(c.getS3Endpoint().resolve("/signed/k")).statusCode()); // unsigned
            assertEquals(200, get(c.getAdminUrl().resolve("/health")).statusCode()); // probes need no keys

            HttpResponse<String> unsigned = get(c.getAdminUrl().resolve("/api/v1/stats"));
            assertEquals(403, unsigned.statusCode());
            assertTrue(
                    unsigned.body().contains("AccessDenied") && unsigned.body().contains("auth.mode=strict"),
                    unsigned.body());
            // the handle signs every admin call with the container's keys
            c.runtime().createBucket("by-runtime");
            c.runtime()
                    .putObject(
                            "by-runtime",
                            "k",
                            "from the handle".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            "text/plain");
            c.runtime().awaitIdle(Duration.ofSeconds(10));
            assertEquals(2, c.runtime().stats().objects().count());
            c.runtime().reset();
            assertEquals(0, c.runtime().stats().objects().count());
        }
    }

    @Test
    void anotherContainerOnTheNetworkReachesItByAlias() {
        try (Network network = Network.newNetwork();
                MockStorageContainer storage =
                        new MockStorageContainer().withNetwork(network).withNetworkAliases("s3")) {
            storage.start();
            // a second container of the image runs the jar's own health check against http://s3:8080/health
            try (GenericContainer<?> client = healthcheckFrom(network, "s3")) {
                client.start(); // one-shot: succeeds only when the check exits 0
                assertTrue(client.getLogs().contains("healthy: http://s3:8080/health answered 200"), client.getLogs());
            }
            // the control: the same check against an alias nobody has fails, so the one above proves reachability
            try (GenericContainer<?> client = healthcheckFrom(network, "nobody")) {
                assertThrows(ContainerLaunchException.class, client::start);
            }
        }
    }

    private static GenericContainer<?> healthcheckFrom(Network network, String host) {
        return new GenericContainer<>(MockStorageContainer.defaultImageName())
                .withNetwork(network)
                .withEnv(MockStorageContainer.envName("server.host"), host)
                .withCommand("healthcheck")
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(30)));
    }

    // ------------------------------------------------------------ the third-party upstream

    @Test
    void withThirdPartyUrlIsAcceptedByTheServer() throws Exception {
        try (MockStorageContainer c =
                new MockStorageContainer().withThirdPartyUrl("http://upstream.invalid:9000/{key}")) {
            c.start(); // an unknown MOCK_STORAGE_* variable would stop the server: healthy means accepted
            assertEquals(200, get(c.getAdminUrl().resolve("/health")).statusCode());
        }
    }

    @Test
    void withThirdPartyScriptServesAMissFromTheScriptInTheContainer(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("scripts.json"), """
                [ { "id": "cat",
                    "match": { "method": "GET", "bucket": "photos", "key": "cat.txt" },
                    "response": { "status": 200, "headers": { "Content-Type": "text/plain" }, "body": "meow" } } ]
                """);
        try (MockStorageContainer c =
                        new MockStorageContainer().withBuckets("photos").withThirdPartyScript(file);
                S3Client s3 = startAndConnect(c)) {
            // the object is not stored: the GET reads through from the script, then it is stored
            var got = s3.getObjectAsBytes(b -> b.bucket("photos").key("cat.txt"));
            assertEquals("meow", got.asUtf8String());
            assertEquals("text/plain", got.response().contentType());
            assertEquals(1, s3.listObjectsV2(b -> b.bucket("photos")).keyCount());
            // the server loaded the file: its script and the call are there over the admin API
            assertEquals("cat", c.runtime().thirdParty().scripts().get(0).id());
            c.runtime().thirdParty().verify(Times.once(), dev.mockstorage.thirdparty.Match.get("photos", "cat.txt"));
            // an unscripted key is no upstream object
            assertThrows(
                    software.amazon.awssdk.services.s3.model.NoSuchKeyException.class,
                    () -> s3.getObjectAsBytes(b -> b.bucket("photos").key("dog.txt")));
            assertEquals(1, c.runtime().thirdParty().unmatchedCalls().size());
        }
    }

    @Test
    void runtimeIsTheSameHandleUntilTheContainerStops() {
        try (MockStorageContainer c = new MockStorageContainer()) {
            assertThrows(IllegalStateException.class, c::runtime);
            c.start();
            assertEquals(c.getS3Endpoint(), c.runtime().endpoint());
            assertSame(c.runtime(), c.runtime(), "one handle per started container");
            c.stop();
            IllegalStateException e = assertThrows(IllegalStateException.class, c::runtime);
            assertTrue(e.getMessage().contains("start()"), e.getMessage());
        }
    }

    private static S3Client startAndConnect(MockStorageContainer c) {
        c.start();
        return s3(c);
    }
}
