package dev.mockstorage.internal.metadata;

import java.time.Instant;

/** A bucket as stored. */
public record BucketRecord(String name, Instant createdAt) {
}
