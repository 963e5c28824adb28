package dev.mockstorage.internal.service;

import dev.mockstorage.internal.metadata.ObjectVersion;
import java.util.List;

/**
 * One page of ListObjectVersions.
 *
 * @param versions            versions and delete markers, in S3's order
 * @param commonPrefixes      keys rolled up at the delimiter
 * @param truncated           more entries follow
 * @param nextKeyMarker       when truncated: the key (or common prefix) to continue after
 * @param nextVersionIdMarker when truncated after a version: its id; null after a common prefix
 */
public record VersionPage(
        List<ObjectVersion> versions,
        List<String> commonPrefixes,
        boolean truncated,
        String nextKeyMarker,
        String nextVersionIdMarker) {}
