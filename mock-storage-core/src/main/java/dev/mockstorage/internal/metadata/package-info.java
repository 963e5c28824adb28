/**
 * SQLite metadata (buckets, objects, the task table), its schema migrations and queries: the only
 * SQL in the codebase. With versioning, {@code objects} stays the table of current versions, so
 * unversioned reads and writes cost what they did before; noncurrent versions and delete markers
 * live in {@code object_versions} ({@code VersionQueries}), which
 * listings merge in S3's order. Internal: no compatibility promise.
 */
package dev.mockstorage.internal.metadata;
