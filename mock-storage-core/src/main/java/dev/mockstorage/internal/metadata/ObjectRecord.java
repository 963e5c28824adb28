package dev.mockstorage.internal.metadata;

import java.time.Instant;
import java.util.Map;

/**
 * The current version of one object as stored: which immutable blob holds its bytes, and what S3
 * returns about it.
 *
 * @param bucket       bucket name
 * @param key          the exact key (any UTF-8, up to 1024 bytes)
 * @param blobId       id of the blob file holding the bytes on the nodes
 * @param size         bytes
 * @param etag         ETag without quotes (MD5 hex)
 * @param contentType  Content-Type as given by the client, or null
 * @param lastModified time of the write, millisecond precision
 * @param userMetadata {@code x-amz-meta-*} pairs, names lower-case without the prefix, in order
 * @param headers      other stored response headers (Content-Disposition, Content-Encoding,
 *                     Cache-Control, Expires, Content-Language), canonical names, in order
 * @param checksums    S3 checksum algorithm name (e.g. {@code CRC32}) to base64 value
 * @param tags         object tags (S3 tagging), key to value, in order; empty when none
 */
public record ObjectRecord(String bucket, String key, String blobId, long size, String etag,
                           String contentType, Instant lastModified, Map<String, String> userMetadata,
                           Map<String, String> headers, Map<String, String> checksums, Map<String, String> tags) {
    /** An object without tags. */
    public ObjectRecord(String bucket, String key, String blobId, long size, String etag,
                        String contentType, Instant lastModified, Map<String, String> userMetadata,
                        Map<String, String> headers, Map<String, String> checksums) {
        this(bucket, key, blobId, size, etag, contentType, lastModified, userMetadata, headers, checksums, Map.of());
    }

    /** Never null. */
    public ObjectRecord {
        tags = tags == null ? Map.of() : tags;
    }

    /** This object with other tags. */
    public ObjectRecord withTags(Map<String, String> newTags) {
        return new ObjectRecord(bucket, key, blobId, size, etag, contentType, lastModified, userMetadata, headers, checksums, newTags);
    }
}
