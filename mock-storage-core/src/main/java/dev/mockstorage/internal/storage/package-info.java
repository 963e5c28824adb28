/**
 * Storage nodes (one directory each) and replicated, immutable blob files: {@code BlobStore} prepares
 * a blob on every node, commits it by rename, reads the first intact copy and deletes (keeping small
 * files as spares); {@code Replicas} checks, repairs and damages one node's copy for the consistency
 * check, repair tasks and fault injection. Internal: no compatibility promise.
 */
package dev.mockstorage.internal.storage;
