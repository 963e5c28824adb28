/**
 * The bounded task queue: tasks persisted in SQLite (the write-ahead log of follow-up work), worker
 * threads, retries with backoff, and {@code awaitIdle}. Internal: no compatibility promise.
 */
package dev.mockstorage.internal.queue;
