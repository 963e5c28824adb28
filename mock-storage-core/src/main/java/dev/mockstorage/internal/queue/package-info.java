/**
 * The bounded task queue: tasks persisted in SQLite (the write-ahead log of follow-up work), worker
 * threads, retries with backoff, and {@code awaitIdle}. {@code TaskQueue} holds the threads and the
 * waiting; {@code TaskRunner} claims, runs and records tasks through the metadata store, applying
 * bookkeeping tasks in the claiming transaction (a savepoint each). It knows kinds and payloads as text
 * only: the task kinds, their payloads and handlers are the services' ({@code TaskHandlers} is how they
 * hand the handlers over). Internal: no compatibility promise.
 */
package dev.mockstorage.internal.queue;
