package dev.mockstorage.internal.service;

import dev.mockstorage.internal.checksum.ChecksumAlgorithm;
import dev.mockstorage.internal.metadata.Grant;
import dev.mockstorage.internal.metadata.ObjectLock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What a client asked to store along with an object body.
 *
 * @param bucket             target bucket
 * @param key                target key
 * @param contentType        Content-Type, or null
 * @param userMetadata       x-amz-meta-* (names lower-case, without the prefix)
 * @param headers            other stored headers (Content-Disposition, ...), canonical names
 * @param contentMd5         the Content-MD5 header (base64), or null
 * @param contentSha256      hex SHA-256 of the payload from x-amz-content-sha256, or null when not a hex digest
 * @param checksums          checksum values sent as headers, by algorithm (base64)
 * @param checksumAlgorithms algorithms to compute and store even without a value (x-amz-sdk-checksum-algorithm, x-amz-trailer)
 * @param trailers           trailers of the body, complete once it was read (aws-chunked checksums)
 * @param declaredLength     the decoded length the client declared, or -1
 * @param tags               object tags to store with the object (x-amz-tagging), validated; empty when none
 * @param grants             the object's ACL ({@code x-amz-acl}, {@code x-amz-grant-*}); null when none was asked for
 * @param lock               the retention and legal hold asked for ({@code x-amz-object-lock-*}), or null: the bucket's
 *                           default retention, if it has one
 */
public record ObjectWrite(
        String bucket,
        String key,
        String contentType,
        Map<String, String> userMetadata,
        Map<String, String> headers,
        String contentMd5,
        String contentSha256,
        Map<ChecksumAlgorithm, String> checksums,
        Set<ChecksumAlgorithm> checksumAlgorithms,
        Supplier<Map<String, String>> trailers,
        long declaredLength,
        Map<String, String> tags,
        List<Grant> grants,
        ObjectLock lock) {
    /** A write without tags, an ACL or a lock of its own ({@link #withGrants}, {@link #withLock}). */
    public ObjectWrite(
            String bucket,
            String key,
            String contentType,
            Map<String, String> userMetadata,
            Map<String, String> headers,
            String contentMd5,
            String contentSha256,
            Map<ChecksumAlgorithm, String> checksums,
            Set<ChecksumAlgorithm> checksumAlgorithms,
            Supplier<Map<String, String>> trailers,
            long declaredLength) {
        this(
                bucket,
                key,
                contentType,
                userMetadata,
                headers,
                contentMd5,
                contentSha256,
                checksums,
                checksumAlgorithms,
                trailers,
                declaredLength,
                Map.of(),
                null,
                null);
    }

    /** Never null. */
    public ObjectWrite {
        tags = tags == null ? Map.of() : tags;
    }

    /** This write with an ACL of its own (null: none). */
    public ObjectWrite withGrants(List<Grant> newGrants) {
        return new ObjectWrite(
                bucket,
                key,
                contentType,
                userMetadata,
                headers,
                contentMd5,
                contentSha256,
                checksums,
                checksumAlgorithms,
                trailers,
                declaredLength,
                tags,
                newGrants,
                lock);
    }

    /** This write asking for {@code newLock} (null: none of its own). */
    public ObjectWrite withLock(ObjectLock newLock) {
        return new ObjectWrite(
                bucket,
                key,
                contentType,
                userMetadata,
                headers,
                contentMd5,
                contentSha256,
                checksums,
                checksumAlgorithms,
                trailers,
                declaredLength,
                tags,
                grants,
                newLock);
    }
}
