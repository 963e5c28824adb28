package dev.mockstorage.it;

import static dev.mockstorage.it.S3Assertions.assertSdkError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectAttributesResponse;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;
import software.amazon.awssdk.services.s3.model.StorageClass;

/** GetObjectAttributes through the AWS SDK v2 at its defaults. */
class ObjectAttributesTest {
    private static final int MIB = 1024 * 1024;

    @StartStop
    static final TestServer server = TestServer.create();

    static S3Client s3;
    static String bucket;

    @BeforeAll
    static void start() {
        s3 = server.s3();
        bucket = server.createBucket("attrs");
    }

    private static GetObjectAttributesResponse attributes(String key) {
        return s3.getObjectAttributes(b -> b.bucket(bucket)
                .key(key)
                .objectAttributes(
                        ObjectAttributes.E_TAG,
                        ObjectAttributes.CHECKSUM,
                        ObjectAttributes.OBJECT_PARTS,
                        ObjectAttributes.STORAGE_CLASS,
                        ObjectAttributes.OBJECT_SIZE));
    }

    @Test
    void plainObjectWithCrc32() {
        byte[] body = TestData.pattern(1000, 5);
        s3.putObject(
                b -> b.bucket(bucket).key("plain").checksumAlgorithm(ChecksumAlgorithm.CRC32),
                RequestBody.fromBytes(body));
        GetObjectAttributesResponse a = attributes("plain");
        assertEquals(TestData.md5Hex(body), a.eTag(), "unquoted ETag");
        assertEquals(TestData.crc32Base64(body), a.checksum().checksumCRC32());
        assertEquals(ChecksumType.FULL_OBJECT, a.checksum().checksumType());
        assertEquals(StorageClass.STANDARD, a.storageClass());
        assertEquals(1000L, a.objectSize());
        assertNull(a.objectParts(), "a single-part object has no ObjectParts");
        assertNotNull(a.lastModified());
        assertEquals(s3.headObject(b -> b.bucket(bucket).key("plain")).lastModified(), a.lastModified());

        GetObjectAttributesResponse sizeOnly = s3.getObjectAttributes(
                b -> b.bucket(bucket).key("plain").objectAttributes(ObjectAttributes.OBJECT_SIZE));
        assertEquals(1000L, sizeOnly.objectSize());
        assertNull(sizeOnly.eTag(), "only what was asked for");
        assertSdkError(404, "NoSuchKey", () -> attributes("absent"));
    }

    @Test
    void multipartObjectListsItsParts() {
        String id = s3.createMultipartUpload(b -> b.bucket(bucket).key("mp")).uploadId();
        byte[] p1 = TestData.pattern(5 * MIB, 1);
        byte[] p2 = TestData.pattern(777, 2);
        List<CompletedPart> parts = new ArrayList<>();
        int n = 1;
        for (byte[] p : List.of(p1, p2)) {
            int number = n++;
            String etag = s3.uploadPart(
                            b -> b.bucket(bucket).key("mp").uploadId(id).partNumber(number), RequestBody.fromBytes(p))
                    .eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        }
        String etag = s3.completeMultipartUpload(
                        b -> b.bucket(bucket).key("mp").uploadId(id).multipartUpload(m -> m.parts(parts)))
                .eTag();

        GetObjectAttributesResponse a = attributes("mp");
        assertEquals(etag.replace("\"", ""), a.eTag());
        assertEquals((long) p1.length + p2.length, a.objectSize());
        assertEquals(2, a.objectParts().totalPartsCount());
        assertEquals(false, a.objectParts().isTruncated());
        assertEquals(2, a.objectParts().parts().size());
        assertEquals((long) p1.length, a.objectParts().parts().get(0).size());
        assertEquals(2, a.objectParts().parts().get(1).partNumber());
        assertEquals((long) p2.length, a.objectParts().parts().get(1).size());

        GetObjectAttributesResponse page = s3.getObjectAttributes(
                b -> b.bucket(bucket).key("mp").maxParts(1).objectAttributes(ObjectAttributes.OBJECT_PARTS));
        assertEquals(1, page.objectParts().parts().size());
        assertEquals(true, page.objectParts().isTruncated());
        assertEquals(1, page.objectParts().nextPartNumberMarker());
    }
}
