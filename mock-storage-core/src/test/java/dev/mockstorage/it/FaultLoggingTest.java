package dev.mockstorage.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.server.MockStorageServer;
import dev.mockstorage.thirdparty.Fault;
import dev.mockstorage.thirdparty.Match;
import dev.mockstorage.thirdparty.Reply;
import dev.mockstorage.thirdparty.ThirdPartyScript;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What an injected fault writes to the log, as a test that injects faults sees it: the AWS SDK with its
 * default retries (a 5xx is sent four times) against an in-process server, java.util.logging as the
 * JDK configures it (INFO and up reach the console). A fault the test asked for is expected: it may
 * leave one line (a record without a stack trace) at most, however many requests run into it.
 */
class FaultLoggingTest {

    @TempDir
    Path dir;

    private final Capture log = new Capture();
    private final Logger root = Logger.getLogger("dev.mockstorage");
    private Level rootLevel;

    /** Every record under {@code dev.mockstorage}, FINE included, so that no stack trace hides below INFO. */
    private static final class Capture extends Handler {
        final List<LogRecord> records = new ArrayList<>();

        @Override
        public synchronized void publish(LogRecord record) {
            records.add(record);
        }

        synchronized List<LogRecord> since(int from) {
            return List.copyOf(records.subList(from, records.size()));
        }

        synchronized int size() {
            return records.size();
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    @BeforeEach
    void capture() {
        rootLevel = root.getLevel();
        root.setLevel(Level.ALL);
        log.setLevel(Level.ALL);
        root.addHandler(log);
    }

    @AfterEach
    void release() {
        root.removeHandler(log);
        root.setLevel(rootLevel);
    }

    private static String show(List<LogRecord> records) {
        SimpleFormatter f = new SimpleFormatter();
        return records.isEmpty() ? "(nothing)" : records.stream().map(f::format).collect(Collectors.joining());
    }

    /**
     * Runs {@code requests} after {@code faults} faults were injected; asserts that at most one record per
     * fault reaches the console (INFO and up) and that no record, at any level, spans lines or carries a
     * stack trace.
     */
    private List<LogRecord> expectAtMostOneLinePerFault(String what, int faults, Runnable requests) {
        int from = log.size();
        requests.run();
        List<LogRecord> logged = log.since(from);
        String all = what + " logged:\n" + show(logged);
        for (LogRecord r : logged) {
            assertNull(r.getThrown(), all);
            assertFalse(new SimpleFormatter().formatMessage(r).contains("\n"), all);
        }
        long visible = logged.stream()
                .filter(r -> r.getLevel().intValue() >= Level.INFO.intValue())
                .count();
        assertTrue(visible <= faults, all);
        return logged;
    }

    @Test
    void anInjectedFaultLogsOneLineAtMostWhateverTheRetries() {
        try (TestServer ts = TestServer.start(dir.resolve("data"), b -> b.setting("third_party.timeout_ms", "500"))) {
            MockStorageServer server = ts.server();
            S3Client s3 = ts.s3(); // the SDK's default retries: a 5xx is tried four times
            server.createBucket("bkt");
            byte[] content = TestData.pattern(4096, 1);
            s3.putObject(b -> b.bucket("bkt").key("k"), RequestBody.fromBytes(content));
            server.awaitIdle(Duration.ofSeconds(10));

            List<LogRecord> nodeDown = expectAtMostOneLinePerFault("a node taken down, a GET and a PUT", 1, () -> {
                server.nodes().down("stg1");
                assertArrayEquals(
                        content,
                        s3.getObjectAsBytes(b -> b.bucket("bkt").key("k")).asByteArray());
                S3Exception e = assertThrows(
                        S3Exception.class,
                        () -> s3.putObject(b -> b.bucket("bkt").key("k2"), RequestBody.fromString("x")));
                assertEquals(503, e.statusCode());
                server.nodes().up("stg1");
            });
            // below the console's level, each answer is still there for whoever turns DEBUG on: one line each
            long debugLines = nodeDown.stream()
                    .filter(r -> r.getLevel() == Level.FINE
                            && r.getMessage()
                                    .startsWith(
                                            "PUT /bkt/k2 -> 503 ServiceUnavailable: only 2 of 3 storage nodes are up"))
                    .count();
            assertEquals(4, debugLines, show(nodeDown));
            expectAtMostOneLinePerFault("every node taken down, a GET", 3, () -> {
                server.nodes().down("stg1");
                server.nodes().down("stg2");
                server.nodes().down("stg3");
                S3Exception e = assertThrows(
                        S3Exception.class,
                        () -> s3.getObjectAsBytes(b -> b.bucket("bkt").key("k")));
                assertTrue(e.statusCode() >= 500, e.toString());
                server.nodes().up("stg1");
                server.nodes().up("stg2");
                server.nodes().up("stg3");
            });
            expectAtMostOneLinePerFault("a read-only node, a PUT", 1, () -> {
                server.nodes().readOnly("stg2");
                assertEquals(
                        503,
                        assertThrows(
                                        S3Exception.class,
                                        () -> s3.putObject(b -> b.bucket("bkt").key("k3"), RequestBody.fromString("x")))
                                .statusCode());
                server.nodes().up("stg2");
            });
            expectAtMostOneLinePerFault("a slow node, a GET", 1, () -> {
                server.nodes().slow("stg1", Duration.ofMillis(20));
                assertArrayEquals(
                        content,
                        s3.getObjectAsBytes(b -> b.bucket("bkt").key("k")).asByteArray());
                server.nodes().slow("stg1", Duration.ZERO);
            });
            expectAtMostOneLinePerFault("a corrupted replica, a GET and its repair", 1, () -> {
                server.nodes().corrupt("bkt", "k", "stg1");
                assertArrayEquals(
                        content,
                        s3.getObjectAsBytes(b -> b.bucket("bkt").key("k")).asByteArray());
                server.awaitIdle(Duration.ofSeconds(10));
            });
            expectAtMostOneLinePerFault("every replica corrupted, a GET", 3, () -> {
                for (String node : List.of("stg1", "stg2", "stg3")) {
                    server.nodes().corrupt("bkt", "k", node);
                }
                assertEquals(
                        500,
                        assertThrows(
                                        S3Exception.class,
                                        () -> s3.getObjectAsBytes(
                                                b -> b.bucket("bkt").key("k")))
                                .statusCode());
            });
            for (Fault fault : Fault.values()) {
                expectAtMostOneLinePerFault("third party " + fault + ", a GET", 1, () -> {
                    server.thirdParty()
                            .script(ThirdPartyScript.when(Match.get("bkt", "tp-" + fault))
                                    .respond(Reply.ok("0123456789").withFault(fault)));
                    assertEquals(
                            503,
                            assertThrows(
                                            S3Exception.class,
                                            () -> s3.getObjectAsBytes(
                                                    b -> b.bucket("bkt").key("tp-" + fault)))
                                    .statusCode());
                });
            }
            expectAtMostOneLinePerFault("third party answering 500, a GET", 1, () -> {
                server.thirdParty()
                        .script(ThirdPartyScript.when(Match.get("bkt", "tp-500"))
                                .respond(Reply.status(500)));
                assertEquals(
                        503,
                        assertThrows(
                                        S3Exception.class,
                                        () -> s3.getObjectAsBytes(
                                                b -> b.bucket("bkt").key("tp-500")))
                                .statusCode());
            });
        }
    }
}
