package dev.mockstorage.internal.metadata;

import java.time.Instant;
import java.util.Map;

/**
 * One uploaded part of a multipart upload: its own immutable blob.
 *
 * @param uploadId     the upload
 * @param partNumber   1..10000
 * @param blobId       the blob holding the part's bytes
 * @param size         bytes
 * @param etag         MD5 hex of the part
 * @param lastModified when it was uploaded
 * @param checksums    S3 checksum algorithm name to base64 value of the part
 * @param started      when its upload started, as a sequence (larger = later); of two uploads of one part number the
 *                     one started later is kept, whichever finished last
 */
public record PartRecord(
        String uploadId,
        int partNumber,
        String blobId,
        long size,
        String etag,
        Instant lastModified,
        Map<String, String> checksums,
        long started) {}
