package dev.mockstorage.internal.metadata;

import java.util.List;

/**
 * What a completed multipart object keeps beyond its object row.
 *
 * @param blobId     the object's (assembled) blob
 * @param contentMd5 MD5 hex of the whole content (the ETag is an MD5 of MD5s, not usable to verify bytes)
 * @param partSizes  sizes of the parts in order, for {@code GET ?partNumber=N}
 * @param uploadId   the upload it was completed from (null for objects completed before this was kept)
 */
public record MultipartLayout(String blobId, String contentMd5, List<Long> partSizes, String uploadId) {}
