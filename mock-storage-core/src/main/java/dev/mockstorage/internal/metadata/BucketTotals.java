package dev.mockstorage.internal.metadata;

/**
 * One bucket's current objects and their bytes.
 *
 * @param bucket  bucket name
 * @param objects object count
 * @param bytes   sum of their sizes
 */
public record BucketTotals(String bucket, long objects, long bytes) {}
