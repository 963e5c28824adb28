package dev.mockstorage.internal.service;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.metadata.LifecycleRule;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a lifecycle configuration means: S3's checks of a configuration (each violation {@code InvalidArgument}
 * or {@code InvalidRequest}, naming the rule), which objects a rule's filter selects, and when a rule's
 * actions fall due. Times are on the server's clock; S3 rounds "N days after" up to the next midnight UTC.
 */
public final class LifecycleRules {
    /** Most rules in one configuration. */
    public static final int MAX_RULES = 1000;

    private static final int MAX_ID_LENGTH = 255;

    private LifecycleRules() {}

    /** Checks a configuration as S3 does; returns it unmodifiable. */
    public static List<LifecycleRule> validate(List<LifecycleRule> rules) {
        if (rules.isEmpty()) {
            throw new StorageException(
                    ErrorCode.MalformedXML,
                    "The XML you provided was not well-formed or did not validate against our published schema: no <Rule>");
        }
        if (rules.size() > MAX_RULES) {
            throw new StorageException(
                    ErrorCode.InvalidRequest,
                    "A lifecycle configuration has at most " + MAX_RULES + " rules, not " + rules.size());
        }
        Set<String> ids = new HashSet<>();
        for (LifecycleRule r : rules) {
            String name = r.id() == null ? "a rule without ID" : "rule '" + r.id() + "'";
            if (r.id() != null && r.id().length() > MAX_ID_LENGTH) {
                throw new StorageException(
                        ErrorCode.InvalidArgument, "ID length should not exceed allowed limit of " + MAX_ID_LENGTH);
            }
            if (r.id() != null && !ids.add(r.id())) {
                throw new StorageException(
                        ErrorCode.InvalidArgument,
                        "Rule ID must be unique. Found same ID for more than one rule: " + r.id());
            }
            boolean expiration =
                    r.expirationDays() != null || r.expirationDate() != null || r.expiredObjectDeleteMarker() != null;
            if (!expiration && r.noncurrentDays() == null && r.abortDays() == null) {
                throw new StorageException(
                        ErrorCode.InvalidRequest, "At least one action needs to be specified in a rule: " + name);
            }
            int given = (r.expirationDays() != null ? 1 : 0)
                    + (r.expirationDate() != null ? 1 : 0)
                    + (r.expiredObjectDeleteMarker() != null ? 1 : 0);
            if (given > 1) {
                throw new StorageException(
                        ErrorCode.MalformedXML,
                        "The XML you provided was not well-formed or did not validate"
                                + " against our published schema: <Expiration> of " + name
                                + " takes one of Days, Date and ExpiredObjectDeleteMarker");
            }
            positive(r.expirationDays(), "'Days' for Expiration action must be a positive integer", name);
            positive(
                    r.noncurrentDays(),
                    "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer",
                    name);
            positive(r.newerNoncurrentVersions(), "'NewerNoncurrentVersions' must be a positive integer", name);
            positive(
                    r.abortDays(),
                    "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer",
                    name);
            if (r.newerNoncurrentVersions() != null && r.noncurrentDays() == null) {
                throw new StorageException(
                        ErrorCode.MalformedXML, "NewerNoncurrentVersions of " + name + " needs NoncurrentDays");
            }
            if (r.expirationDate() != null) {
                Instant date = expirationDate(r.expirationDate());
                if (!date.atOffset(ZoneOffset.UTC).toLocalTime().equals(LocalTime.MIDNIGHT)) {
                    throw new StorageException(
                            ErrorCode.InvalidArgument, "'Date' must be at midnight GMT: " + r.expirationDate());
                }
            }
            if (r.abortDays() != null && !r.tags().isEmpty()) {
                throw new StorageException(
                        ErrorCode.InvalidRequest,
                        "AbortIncompleteMultipartUpload cannot be specified with Tags: " + name);
            }
            if (r.expiredObjectDeleteMarker() != null && !r.tags().isEmpty()) {
                throw new StorageException(
                        ErrorCode.InvalidRequest, "ExpiredObjectDeleteMarker cannot be specified with Tags: " + name);
            }
            if (r.sizeGreaterThan() != null && r.sizeLessThan() != null && r.sizeGreaterThan() >= r.sizeLessThan()) {
                throw new StorageException(
                        ErrorCode.InvalidRequest,
                        "ObjectSizeGreaterThan must be less than ObjectSizeLessThan: " + name);
            }
            if (!r.tags().isEmpty()) {
                Tags.validate(r.tags());
            }
        }
        return List.copyOf(rules);
    }

    private static void positive(Integer value, String message, String rule) {
        if (value != null && value <= 0) {
            throw new StorageException(ErrorCode.InvalidArgument, message + " (" + rule + ")");
        }
    }

    /** The instant of a stored {@code Date} (ISO-8601, with or without time); {@code InvalidArgument} when it is none. */
    public static Instant expirationDate(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException again) {
                throw new StorageException(
                        ErrorCode.InvalidArgument, "Invalid date: '" + text + "'; use ISO 8601 at midnight GMT");
            }
        }
    }

    /** True when {@code rule} is enabled and its filter selects an object of this key, size and tags. */
    static boolean selects(LifecycleRule rule, String key, long size, Map<String, String> tags) {
        if (!rule.enabled() || (rule.prefix() != null && !key.startsWith(rule.prefix()))) {
            return false;
        }
        if ((rule.sizeGreaterThan() != null && size <= rule.sizeGreaterThan())
                || (rule.sizeLessThan() != null && size >= rule.sizeLessThan())) {
            return false;
        }
        for (Map.Entry<String, String> t : rule.tags().entrySet()) {
            if (!t.getValue().equals(tags.get(t.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** True when the key matches the rule's prefix alone (delete markers and uploads have no size or tags). */
    static boolean selectsKey(LifecycleRule rule, String key) {
        return rule.enabled()
                && (rule.prefix() == null || key.startsWith(rule.prefix()))
                && rule.tags().isEmpty()
                && rule.sizeGreaterThan() == null
                && rule.sizeLessThan() == null;
    }

    /** When a current version written at {@code created} expires under {@code rule}, or null when the rule does not expire it. */
    static Instant currentExpiry(LifecycleRule rule, Instant created) {
        if (rule.expirationDays() != null) {
            return daysAfter(created, rule.expirationDays());
        }
        if (rule.expirationDate() != null) {
            return expirationDate(rule.expirationDate());
        }
        return null;
    }

    /** S3's "N days after": the time plus N days, rounded up to the next midnight UTC. */
    static Instant daysAfter(Instant t, int days) {
        Instant later = t.plus(Duration.ofDays(days));
        Instant midnight = later.truncatedTo(ChronoUnit.DAYS);
        return midnight.equals(later) ? later : midnight.plus(Duration.ofDays(1));
    }
}
