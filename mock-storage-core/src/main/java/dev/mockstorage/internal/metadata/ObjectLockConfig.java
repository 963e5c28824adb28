package dev.mockstorage.internal.metadata;

/**
 * A bucket's object-lock configuration: object lock is enabled (buckets without one have none), with an
 * optional default retention given to every new version that asks for none.
 *
 * @param defaultMode  {@code GOVERNANCE} or {@code COMPLIANCE}, or null for no default retention
 * @param defaultDays  the default retention in days, or null
 * @param defaultYears the default retention in years, or null (one of days and years with a mode)
 */
public record ObjectLockConfig(String defaultMode, Integer defaultDays, Integer defaultYears) {
    /** Object lock enabled, no default retention. */
    public static final ObjectLockConfig ENABLED = new ObjectLockConfig(null, null, null);
}
