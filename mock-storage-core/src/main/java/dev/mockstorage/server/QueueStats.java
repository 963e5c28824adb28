package dev.mockstorage.server;

/**
 * The background task queue at one moment ({@link MockStorageServer#queueStats()}).
 *
 * @param open     tasks waiting or running (what {@link MockStorageServer#awaitIdle} waits for)
 * @param done     tasks finished since this server started
 * @param failed   tasks parked as failed after their last attempt, in the database (so including
 *                 those of earlier runs on the same data); {@link MockStorageServer#failedTasks()} lists them
 * @param retried  failed attempts scheduled again since this server started
 * @param capacity the most open tasks before uploads and deletes are held back ({@code queue.size})
 * @param workers  worker threads ({@code queue.workers}; 0: tasks only wait)
 */
public record QueueStats(long open, long done, long failed, long retried, int capacity, int workers) {
}
