package dev.mockstorage.internal.metadata;

import java.time.Instant;

/**
 * A bucket as stored.
 *
 * @param name       bucket name
 * @param createdAt  creation time, millisecond precision
 * @param versioning S3 versioning status: null (never versioned), {@value #ENABLED} or {@value #SUSPENDED}
 */
public record BucketRecord(String name, Instant createdAt, String versioning) {
    /** Versioning status of a bucket that keeps every version. */
    public static final String ENABLED = "Enabled";
    /** Versioning status of a bucket that keeps its versions but writes only the "null" version. */
    public static final String SUSPENDED = "Suspended";

    /** A bucket that was never versioned. */
    public BucketRecord(String name, Instant createdAt) {
        this(name, createdAt, null);
    }
}
