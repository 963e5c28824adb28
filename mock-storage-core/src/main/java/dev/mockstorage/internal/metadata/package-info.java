/**
 * SQLite metadata (buckets, objects, the task table), its schema migrations and queries: the only
 * SQL in the codebase. Internal: no compatibility promise.
 */
package dev.mockstorage.internal.metadata;
