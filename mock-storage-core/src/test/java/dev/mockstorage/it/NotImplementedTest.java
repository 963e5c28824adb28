package dev.mockstorage.it;

import static dev.mockstorage.it.S3Assertions.assertS3Error;
import static dev.mockstorage.it.S3Assertions.assertSdkError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * What S3 has and mock-storage does not answers {@code 501 NotImplemented} naming the operation,
 * never a wrong success, including sub-resources on a level whose plain request is supported
 * (a PUT of {@code ?uploads} must not create the bucket).
 */
class NotImplementedTest {
    @StartStop
    static final TestServer server = TestServer.create();

    @BeforeAll
    static void start() {
        server.createBucket("nope");
        server.s3().putObject(b -> b.bucket("nope").key("k"), RequestBody.fromString("x"));
    }

    private static void assertNotImplemented(String method, String target, String operation) {
        Document error = assertS3Error(server.raw().send(method, target, Map.of(), new byte[0]), 501, "NotImplemented");
        String message = S3Assertions.text(error, "Message");
        assertTrue(message.contains(operation), method + " " + target + ": " + message);
    }

    @Test
    void subResourcesNotImplementedAnswer501WithTheOperationsName() {
        assertNotImplemented("GET", "/nope/k?torrent", "GetObjectTorrent");
        assertNotImplemented("PUT", "/nope?legal-hold", "PutObjectLegalHold");
        assertNotImplemented("GET", "/nope?website", "GetBucketWebsite");
        assertNotImplemented("DELETE", "/nope?acl", "DeleteAcl"); // the ACL has Get and Put only: not a DeleteBucket
        // versionId on an operation that does not honour it is refused, never ignored
        assertNotImplemented("PUT", "/nope/k?versionId=" + "A".repeat(32), "PutObject with versionId");
        // bucket sub-resources on an object are not a PutObject/GetObject
        assertNotImplemented("PUT", "/nope/k?versioning", "PutBucketVersioning");
        assertNotImplemented("GET", "/nope/k?versions", "GetObjectVersions");
        assertNotImplemented("GET", "/nope/k?lifecycle", "GetBucketLifecycleConfiguration");
        assertNotImplemented("POST", "/nope/k?select&select-type=2", "PostSelectObjectContent");
        // multipart sub-resources on a method/level without a multipart operation
        assertNotImplemented("PUT", "/nope?uploads", "PutMultipartUploads");
        assertNotImplemented("POST", "/nope?uploads", "PostMultipartUploads");
        assertNotImplemented("PUT", "/nope/k?uploadId=x", "PutMultipartUpload");
        assertEquals("x", server.raw().get("/nope/k").bodyText(), "nothing was changed");
    }

    @Test
    void sdkCallsOfUnimplementedOperationsFailWith501() {
        assertSdkError(501, "NotImplemented", () -> server.s3().getBucketLogging(b -> b.bucket("nope")));
        assertSdkError(501, "NotImplemented", () -> server.s3().getBucketReplication(b -> b.bucket("nope")));
        assertSdkError(501, "NotImplemented", () -> server.s3().getBucketWebsite(b -> b.bucket("nope")));
    }
}
