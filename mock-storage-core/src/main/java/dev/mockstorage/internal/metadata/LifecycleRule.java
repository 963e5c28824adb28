package dev.mockstorage.internal.metadata;

import java.util.Map;

/**
 * One Rule of a bucket's lifecycle configuration, as stored (validated by the service before). The
 * filter is every condition given ({@code prefix}, {@code tags}, object size bounds), all of which must hold;
 * {@code filterForm} says how the client wrote it, so that it is answered back the same way.
 *
 * @param id                        the rule's ID, or null
 * @param enabled                   {@code <Status>Enabled</Status>}; a disabled rule is kept and answered but not applied
 * @param filterForm                {@value #RULE_PREFIX} (the rule's own {@code <Prefix>}, the old form), {@value #FILTER}
 *                                  (one condition, or none, in {@code <Filter>}) or {@value #AND} ({@code <Filter><And>})
 * @param prefix                    the key prefix, or null
 * @param tags                      tags an object must carry, in order; empty when none
 * @param sizeGreaterThan           {@code ObjectSizeGreaterThan} in bytes, or null
 * @param sizeLessThan              {@code ObjectSizeLessThan} in bytes, or null
 * @param expirationDays            current versions expire this many days after their creation (rounded up to the next
 *                                  midnight UTC, as S3 does), or null
 * @param expirationDate            current versions expire at this midnight UTC (ISO-8601), or null
 * @param expiredObjectDeleteMarker a delete marker left as a key's only version is removed, or null
 * @param noncurrentDays            noncurrent versions expire this many days after they became noncurrent, or null
 * @param newerNoncurrentVersions   that many newer noncurrent versions are kept whatever their age, or null
 * @param abortDays                 unfinished multipart uploads are aborted this many days after initiation, or null
 */
public record LifecycleRule(
        String id,
        boolean enabled,
        String filterForm,
        String prefix,
        Map<String, String> tags,
        Long sizeGreaterThan,
        Long sizeLessThan,
        Integer expirationDays,
        String expirationDate,
        Boolean expiredObjectDeleteMarker,
        Integer noncurrentDays,
        Integer newerNoncurrentVersions,
        Integer abortDays) {
    public static final String RULE_PREFIX = "rule-prefix";
    public static final String FILTER = "filter";
    public static final String AND = "and";

    public LifecycleRule {
        tags = tags == null ? Map.of() : tags;
    }
}
