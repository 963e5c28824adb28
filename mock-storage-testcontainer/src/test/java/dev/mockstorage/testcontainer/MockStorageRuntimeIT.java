package dev.mockstorage.testcontainer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.MockStorageRuntime;
import dev.mockstorage.StorageNodes;
import dev.mockstorage.internal.config.Setting;
import dev.mockstorage.journal.RequestPattern;
import dev.mockstorage.server.MockStorageServer;
import dev.mockstorage.stats.ServerStats;
import dev.mockstorage.thirdparty.Match;
import dev.mockstorage.thirdparty.Reply;
import dev.mockstorage.thirdparty.ThirdPartyScript;
import dev.mockstorage.verification.Times;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One test, two transports: the same scenario against the in-process server and the Docker container,
 * each through {@link MockStorageRuntime} (the server itself, and {@code MockStorageContainer.runtime()}
 * over the admin API). If the two ever read differently, one of these runs fails.
 */
class MockStorageRuntimeIT {

    @TempDir
    static Path dir;

    private static MockStorageServer server;
    private static MockStorageContainer container;

    @BeforeAll
    static void startBoth() {
        DockerCheck.requireDocker();
        // the same settings on both: three nodes, and a miss asks the upstream once (no retries)
        server = MockStorageServer.builder()
                .dataDirectory(dir.resolve("data"))
                .nodes(3)
                .setting(Setting.THIRD_PARTY_RETRIES.dottedName(), "0")
                .start();
        container = new MockStorageContainer().withNodes(3).withSetting("third_party.retries", "0");
        container.start();
    }

    @AfterAll
    static void stopBoth() {
        if (container != null) {
            container.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    static Stream<Named<MockStorageRuntime>> runtimes() {
        return Stream.of(
                Named.<MockStorageRuntime>of("in-process", server),
                Named.<MockStorageRuntime>of("container", container.runtime()));
    }

    private static S3Client s3(MockStorageRuntime storage) {
        return S3Client.builder()
                .endpointOverride(storage.endpoint())
                .region(Region.of(storage.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(storage.accessKey(), storage.secretKey())))
                .forcePathStyle(true)
                .build();
    }

    // spotless:off: the README shows this sample as written here
    // sample:runtime:start
    @ParameterizedTest(name = "{0}", autoCloseArguments = false) // the server outlives each run
    @MethodSource("runtimes")
    void theSameTestReadsTheSameInProcessAndInTheContainer(MockStorageRuntime storage) {
        storage.reset();
        storage.createBucket("photos");
        storage.putObject("photos", "readme.txt", "hello".getBytes(UTF_8), "text/plain");
        long hitsBefore = storage.stats().thirdParty().hits();

        try (S3Client s3 = s3(storage)) {
            assertEquals("hello", s3.getObjectAsBytes(b -> b.bucket("photos").key("readme.txt")).asUtf8String());

            // 1. script the upstream: a GET of a missing key reads through from it
            storage.thirdParty().script(ThirdPartyScript.when(Match.get("photos", "cat.txt"))
                    .respond(Reply.ok("meow").contentType("text/plain")));
            // 2. run the code under test
            assertEquals("meow", s3.getObjectAsBytes(b -> b.bucket("photos").key("cat.txt")).asUtf8String());
            // 3. verify: the upstream was asked once, the S3 request is in the journal
            storage.thirdParty().verify(Times.once(), Match.get("photos", "cat.txt"));
            assertThrows(AssertionError.class, () -> storage.thirdParty().verify(Times.exactly(2), Match.get("photos", "cat.txt")));
            storage.requests().verify(RequestPattern.getObject("photos", "cat.txt"));

            ServerStats stats = storage.stats();
            assertEquals(List.of("photos"), stats.buckets().stream().map(ServerStats.Bucket::name).toList());
            ServerStats.Bucket photos = stats.buckets().get(0);
            assertEquals(List.of(2L, 9L), List.of(photos.objects(), photos.bytes())); // hello + meow, stored
            assertEquals(hitsBefore + 1, stats.thirdParty().hits());

            // background work: a delete removes the blob files from every node once the queue ran
            s3.deleteObject(b -> b.bucket("photos").key("readme.txt"));
            storage.awaitIdle(Duration.ofSeconds(10));
            stats = storage.stats();
            assertEquals(0, stats.queue().depth());
            assertEquals(3, stats.nodes().stream().mapToLong(ServerStats.Node::blobs).sum()); // meow on 3 nodes

            // a node down: reads come from another replica
            storage.nodes().down("stg1");
            assertFalse(storage.nodes().list().get(0).up());
            assertEquals("meow", s3.getObjectAsBytes(b -> b.bucket("photos").key("cat.txt")).asUtf8String());
            storage.nodes().up("stg1");
            assertTrue(storage.nodes().list().stream().allMatch(StorageNodes.Node::up));
            assertThrows(IllegalArgumentException.class, () -> storage.nodes().down("stg9"));
        }

        storage.reset();
        assertEquals(0, storage.stats().objects().count());
        assertEquals(List.of(), storage.thirdParty().scripts());
        assertEquals(List.of(), storage.requests().all());
    }
    // sample:runtime:end
    // spotless:on

    @ParameterizedTest(name = "{0}", autoCloseArguments = false) // the server outlives each run
    @MethodSource("runtimes")
    void scriptsNamingLocalFilesWorkOnBoth(MockStorageRuntime storage) throws Exception {
        storage.reset();
        storage.createBucket("docs");
        Path fixtures = Files.createDirectories(
                dir.resolve("fixtures-" + storage.endpoint().getPort()));
        Files.writeString(fixtures.resolve("dog.txt"), "woof");
        Path json = Files.writeString(
                fixtures.resolve("scripts.json"),
                "[{\"match\": {\"key\": \"dog.txt\"}, \"response\": {\"body_file\": \"dog.txt\"}}]");
        storage.thirdParty().loadScripts(json); // relative to the JSON file, read in this JVM

        try (S3Client s3 = s3(storage)) {
            assertEquals(
                    "woof",
                    s3.getObjectAsBytes(b -> b.bucket("docs").key("dog.txt")).asUtf8String());
        }
        assertEquals(1, storage.thirdParty().calls().size());
        assertEquals("docs", storage.thirdParty().calls().get(0).bucket());
        storage.reset();
    }
}
