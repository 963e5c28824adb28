package dev.mockstorage.internal.service;

import dev.mockstorage.internal.metadata.ObjectRecord;
import java.util.List;

/**
 * One page of a listing.
 *
 * @param objects        keys not rolled up into a common prefix
 * @param commonPrefixes rolled-up prefixes (with delimiter), in order
 * @param truncated      more entries follow
 * @param lastEntry      the last key or common prefix in this page (the next marker), or null when empty
 */
public record ListPage(List<ObjectRecord> objects, List<String> commonPrefixes, boolean truncated, String lastEntry) {}
