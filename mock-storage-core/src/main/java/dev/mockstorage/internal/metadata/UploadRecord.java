package dev.mockstorage.internal.metadata;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A multipart upload in progress (CreateMultipartUpload until Complete or Abort).
 *
 * @param bucket            bucket name
 * @param key               the object key it will create
 * @param uploadId          its id; ids sort in initiation order
 * @param initiated         when it was created, millisecond precision
 * @param contentType       Content-Type for the object, or null
 * @param userMetadata      {@code x-amz-meta-*} for the object
 * @param headers           other stored headers for the object
 * @param checksumAlgorithm the S3 checksum algorithm asked for on create (e.g. {@code CRC32}), or null
 * @param checksumType      {@code COMPOSITE} or {@code FULL_OBJECT} when an algorithm was asked for, else null
 * @param tags              the object's tags ({@code x-amz-tagging} on create), empty when none
 * @param grants            the object's ACL ({@code x-amz-acl}, {@code x-amz-grant-*} on create), null when none given
 */
public record UploadRecord(
        String bucket,
        String key,
        String uploadId,
        Instant initiated,
        String contentType,
        Map<String, String> userMetadata,
        Map<String, String> headers,
        String checksumAlgorithm,
        String checksumType,
        Map<String, String> tags,
        List<Grant> grants) {}
