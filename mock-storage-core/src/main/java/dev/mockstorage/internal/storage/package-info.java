/**
 * Storage nodes (one directory each) and replicated, immutable blob files: prepare on every node,
 * commit by rename, read from the first intact copy. Internal: no compatibility promise.
 */
package dev.mockstorage.internal.storage;
