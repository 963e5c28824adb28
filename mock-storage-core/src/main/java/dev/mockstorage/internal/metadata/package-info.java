/**
 * SQLite metadata (buckets and their settings, objects, versions, multipart uploads, statistics, the task table), its
 * schema migrations and queries: the only SQL in the codebase. {@code MetadataStore} is what the
 * rest of the server calls: each of its methods runs alone (a read on a read connection, a change
 * in its own transaction), and {@code write} gives work that must share one transaction its
 * {@code Tx}. Transactions do not nest: a write inside a write on the same thread is refused; a part
 * that may fail alone is a {@code Tx.savepoint}. Below, {@code Database} is the transaction core (the
 * write connection behind a lock with a timeout, the read connections, begin/commit/rollback) and
 * knows no table; each {@code *Table} class holds one table's statements and row mapping. With
 * versioning, {@code objects} stays the table of current versions, so unversioned reads and writes
 * cost what they did before; noncurrent versions and delete markers live in {@code object_versions}
 * ({@code VersionTable}), which listings merge in S3's order. A bucket's settings beyond its tags and CORS
 * rules (ACL, policy, public access block, ...) are rows of {@code bucket_settings}, each named and encoded
 * by a {@code BucketSetting}. Internal: no compatibility promise.
 */
package dev.mockstorage.internal.metadata;
