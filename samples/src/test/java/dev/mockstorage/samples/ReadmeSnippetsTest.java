package dev.mockstorage.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
// sample:journal-imports:start
import static dev.mockstorage.journal.RequestPattern.*;
import static dev.mockstorage.verification.Times.*;
// sample:journal-imports:end

import dev.mockstorage.MockStorageRuntime;
import dev.mockstorage.StorageClock;
import dev.mockstorage.StorageNodes;
import dev.mockstorage.journal.RecordedRequest;
import dev.mockstorage.junit5.MockStorage;
import dev.mockstorage.stats.ConsistencyReport;
import dev.mockstorage.thirdparty.Match;
import dev.mockstorage.thirdparty.Reply;
import dev.mockstorage.thirdparty.ThirdParty;
import dev.mockstorage.thirdparty.ThirdPartyScript;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The README's shorter Java snippets (third party, fault injection, consistency check, request journal, the clock), each
 * run here as written, with what it claims checked after it. {@code ReadmeSamplesTest} keeps the README's
 * blocks equal to the marked text.
 */
@MockStorage(buckets = "photos")
class ReadmeSnippetsTest {

    @Test
    void scriptingTheThirdParty(MockStorageRuntime server, S3Client s3) {
        // sample:third-party:start
        ThirdParty upstream = server.thirdParty();
        upstream.script(ThirdPartyScript.when(Match.get("photos", "cat.jpg"))
                .respond(Reply.status(503),                                   // first call
                         Reply.ok("meow").contentType("image/jpeg")));        // every later call
        // sample:third-party:end

        // the SDK retries the 503: its second attempt gets the second reply
        assertEquals("meow", s3.getObjectAsBytes(b -> b.bucket("photos").key("cat.jpg")).asUtf8String());
        assertEquals(2, upstream.calls().size());
        upstream.verify(exactly(2), Match.get("photos", "cat.jpg"));
    }

    @Test
    void faultInjectionAndReset(MockStorageRuntime server) {
        byte[] bytes = "hello".getBytes(StandardCharsets.UTF_8);
        // sample:faults:start
        server.createBucket("bkt");                        // nothing happens when it exists
        server.putObject("bkt", "k", bytes, "text/plain");  // the normal upload path
        server.nodes().down("stg1");                       // reads use stg2/stg3; writes skip stg1 if storage.write_quorum
                                                           // allows (/health DEGRADED), else answer 503 (/health DOWN)
        server.nodes().up("stg1");                         // back; reads of objects it missed repair it
        server.nodes().slow("stg1", Duration.ofMillis(200)); // every read open and write on stg1 waits 200 ms
        server.nodes().slow("stg1", Duration.ZERO);        // ends it
        server.nodes().corrupt("bkt", "k", "stg1");        // flips bytes of stg1's copy in place, same size
        server.nodes().readOnly("stg1");                   // stg1's next write fails as on a read-only file system
        server.nodes().list();                             // [Node[id=stg1, up=true, reason=null, delay=PT0S], ...]
        server.reset();                                    // back to an empty store
        // sample:faults:end

        assertTrue(server.nodes().list().stream().allMatch(StorageNodes.Node::up), "reset brings every node up");
        assertEquals(0, server.stats().objects().count());
        assertThrows(IllegalArgumentException.class, () -> server.nodes().down("stg9"));
    }

    @Test
    void consistencyCheck(MockStorageRuntime server, S3Client s3) {
        s3.putObject(b -> b.bucket("photos").key("a.png"), RequestBody.fromString("png"));
        server.nodes().corrupt("photos", "a.png", "stg2");
        // sample:consistency:start
        ConsistencyReport report = server.checkConsistency(true);   // false: report only, change nothing
        report.clean();                                              // true when nothing was found
        report.findings(ConsistencyReport.Kind.ORPHAN);              // [Finding[kind, bucket, key, blobId, nodeId, detail, action]]
        // sample:consistency:end

        assertFalse(report.clean());
        assertEquals(1, report.findings(ConsistencyReport.Kind.CHECKSUM_MISMATCH).size());
        server.awaitIdle(Duration.ofSeconds(10));
        assertTrue(server.checkConsistency(false).clean(), "the repair made the copy intact again");
    }

    @Test
    void requestJournal(MockStorageRuntime server, S3Client s3) {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
        // sample:journal:start
        s3.putObject(b -> b.bucket("photos").key("a.png"), RequestBody.fromBytes(png));
        server.requests().verify(exactly(1), putObject("photos", "a.png"));
        server.requests().verify(never(), operation("DeleteObject").inBucket("photos"));
        List<RecordedRequest> gets = server.requests().find(getObject("photos", "a.png").withStatus(200));
        server.requests().clear();
        // sample:journal:end

        assertEquals(List.of(), gets);
        assertEquals(List.of(), server.requests().all());
        AssertionError e = assertThrows(AssertionError.class,
                () -> server.requests().verify(exactly(1), putObject("photos", "b.png")));
        assertTrue(e.getMessage().startsWith("Expected exactly 1 request(s) matching [PutObject photos/b.png] but got 0."),
                e.getMessage());
        assertThrows(S3Exception.class, () -> s3.getObject(b -> b.bucket("photos").key("missing")));
    }

    @Test
    void lifecycleOnTheServersClock(MockStorageRuntime server, S3Client s3) {
        s3.putObject(b -> b.bucket("photos").key("thumbs/a.png"), RequestBody.fromString("png"));
        // sample:clock:start
        s3.putBucketLifecycleConfiguration(b -> b.bucket("photos").lifecycleConfiguration(c -> c.rules(r -> r
                .id("thumbnails").status(ExpirationStatus.ENABLED)
                .filter(f -> f.prefix("thumbs/")).expiration(e -> e.days(30)))));
        StorageClock clock = server.clock();
        clock.now();                               // the server's time
        clock.advance(Duration.ofDays(31));        // a month later; lifecycle rules due by then are queued now
        server.awaitIdle(Duration.ofSeconds(10));  // ... and have run: thumbs/ is empty
        clock.offset();                            // PT744H: how far ahead of the real time
        // sample:clock:end

        assertEquals(Duration.ofDays(31), clock.offset());
        assertEquals(0, s3.listObjectsV2(b -> b.bucket("photos").prefix("thumbs/")).keyCount());
    }
}
