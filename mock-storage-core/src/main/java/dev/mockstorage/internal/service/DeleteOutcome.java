package dev.mockstorage.internal.service;

import dev.mockstorage.internal.metadata.ObjectRecord;
import java.util.Optional;

/**
 * What a DeleteObject did, for its response headers and DeleteObjects' result.
 *
 * @param removed      the stored version that stopped being current or was removed, if any
 * @param versionId    the version id to report ({@code x-amz-version-id}): the one asked for, or the new
 *                     delete marker's; null in a never-versioned bucket without a version id
 * @param deleteMarker true when a delete marker was created, or the version removed was a delete marker
 */
public record DeleteOutcome(Optional<ObjectRecord> removed, String versionId, boolean deleteMarker) {}
