package dev.mockstorage.internal.service;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.metadata.KeyRange;
import dev.mockstorage.internal.metadata.MetadataStore;
import dev.mockstorage.internal.metadata.ObjectRecord;
import dev.mockstorage.internal.metadata.ObjectVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * ListObjects and ListObjectVersions: pages of keys (or versions) in S3 order, read from the metadata
 * in batches, keys rolled up at a delimiter into common prefixes.
 */
public final class Listings {
    private final MetadataStore metadata;
    private final Buckets buckets;

    Listings(MetadataStore metadata, Buckets buckets) {
        this.metadata = metadata;
        this.buckets = buckets;
    }

    /**
     * One page of keys in S3 order.
     *
     * @param prefix    only keys starting with it ("" for all)
     * @param delimiter roll keys up to the first delimiter after the prefix (null: no roll-up)
     * @param after     start strictly after this key or common prefix (null: from the start)
     * @param maxKeys   most keys + common prefixes in the page; 0 lists nothing and is not truncated, as on S3
     */
    public ListPage list(String bucket, String prefix, String delimiter, String after, int maxKeys) {
        buckets.require(bucket);
        if (maxKeys == 0) {
            return new ListPage(List.of(), List.of(), false, null);
        }
        String p = prefix == null ? "" : prefix;
        String d = delimiter == null || delimiter.isEmpty() ? null : delimiter;
        List<ObjectRecord> objects = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        String lastPrefix = d != null && after != null && isCommonPrefix(after, p, d) ? after : null;
        String cursor = after;
        String from = null; // after a common prefix: go on at its successor, inclusive
        String lastEntry = null;
        int batchSize = Math.min(Math.max(maxKeys + 1, 2), 1000);
        int limit = batchSize;
        while (true) {
            List<ObjectRecord> batch = from != null
                    ? metadata.listObjectsFrom(bucket, p, from, limit)
                    : metadata.listObjects(bucket, p, cursor, limit);
            from = null;
            boolean skipped = false;
            for (ObjectRecord o : batch) {
                cursor = o.key();
                String rollUp = rollUp(o.key(), p, d);
                if (rollUp != null && rollUp.equals(lastPrefix)) {
                    // the rest of this prefix's keys add nothing: seek past them instead of reading them all
                    from = KeyRange.successor(rollUp);
                    if (from != null) {
                        skipped = true;
                        break;
                    }
                    continue;
                }
                if (objects.size() + prefixes.size() >= maxKeys) {
                    return new ListPage(objects, prefixes, true, lastEntry);
                }
                if (rollUp != null) {
                    prefixes.add(rollUp);
                    lastPrefix = rollUp;
                    lastEntry = rollUp;
                } else {
                    objects.add(o);
                    lastEntry = o.key();
                }
            }
            if (!skipped && batch.size() < limit) {
                return new ListPage(objects, prefixes, false, lastEntry);
            }
            // after a seek only a few rows are wanted (the next prefix may start a run to skip again)
            limit = skipped ? SEEK_BATCH : Math.min(limit * 4, batchSize);
        }
    }

    /**
     * One page of ListObjectVersions: versions and delete markers in key order (UTF-8 bytes), newest first
     * within a key, keys rolled up at {@code delimiter} after {@code prefix} into common prefixes.
     *
     * @param keyMarker       start after this key (with {@code versionIdMarker}: after that version of it); a
     *                        common prefix as marker skips every key under it
     * @param versionIdMarker S3 version id within {@code keyMarker}, or null
     * @param maxKeys         most versions + markers + common prefixes in the page
     */
    public VersionPage listVersions(
            String bucket, String prefix, String delimiter, String keyMarker, String versionIdMarker, int maxKeys) {
        buckets.require(bucket);
        if (versionIdMarker != null) {
            if (keyMarker == null) {
                throw new StorageException(
                                ErrorCode.InvalidArgument,
                                "A version-id marker cannot be specified without a key marker.")
                        .with("ArgumentName", "version-id-marker")
                        .with("ArgumentValue", versionIdMarker);
            }
            VersionedWrites.validateVersionId(versionIdMarker);
        }
        String p = prefix == null ? "" : prefix;
        String d = delimiter == null || delimiter.isEmpty() ? null : delimiter;
        List<ObjectVersion> versions = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        String lastPrefix = d != null && keyMarker != null && versionIdMarker == null && isCommonPrefix(keyMarker, p, d)
                ? keyMarker
                : null;
        String afterKey = keyMarker;
        String afterVersion = versionIdMarker;
        String from = null; // after a common prefix: go on at its successor, inclusive
        ObjectVersion last = null;
        String lastEntryPrefix = null;
        int batchSize = Math.min(Math.max(maxKeys + 1, 2), 1000);
        int limit = batchSize;
        while (true) {
            List<ObjectVersion> batch = from != null
                    ? metadata.listVersionsFrom(bucket, p, from, limit)
                    : metadata.listVersions(bucket, p, afterKey, afterVersion, limit);
            from = null;
            boolean skipped = false;
            for (ObjectVersion v : batch) {
                afterKey = v.key();
                afterVersion = v.versionId();
                String rollUp = rollUp(v.key(), p, d);
                if (rollUp != null && rollUp.equals(lastPrefix)) {
                    from = KeyRange.successor(rollUp); // seek past the prefix's other versions
                    if (from != null) {
                        skipped = true;
                        break;
                    }
                    continue;
                }
                if (versions.size() + prefixes.size() >= maxKeys) {
                    if (lastEntryPrefix != null) {
                        return new VersionPage(versions, prefixes, true, lastEntryPrefix, null);
                    }
                    // max-keys=0: nothing listed, nothing to continue after
                    return new VersionPage(
                            versions,
                            prefixes,
                            true,
                            last == null ? null : last.key(),
                            last == null ? null : last.versionId());
                }
                if (rollUp != null) {
                    prefixes.add(rollUp);
                    lastPrefix = rollUp;
                    lastEntryPrefix = rollUp;
                } else {
                    versions.add(v);
                    last = v;
                    lastEntryPrefix = null;
                }
            }
            if (!skipped && batch.size() < limit) {
                return new VersionPage(versions, prefixes, false, null, null);
            }
            limit = skipped ? SEEK_BATCH : Math.min(limit * 4, batchSize);
        }
    }

    /** Rows read after seeking past a common prefix: enough to find the next key and its own prefix. */
    private static final int SEEK_BATCH = 4;

    /** The common prefix {@code key} rolls up into: up to the first delimiter after the prefix; null when none. */
    private static String rollUp(String key, String prefix, String delimiter) {
        if (delimiter == null) {
            return null;
        }
        int i = key.indexOf(delimiter, prefix.length());
        return i < 0 ? null : key.substring(0, i + delimiter.length());
    }

    private static boolean isCommonPrefix(String marker, String prefix, String delimiter) {
        return marker.startsWith(prefix)
                && marker.endsWith(delimiter)
                && marker.indexOf(delimiter, prefix.length()) == marker.length() - delimiter.length();
    }
}
