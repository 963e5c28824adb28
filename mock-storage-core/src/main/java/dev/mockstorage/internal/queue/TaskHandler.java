package dev.mockstorage.internal.queue;

/**
 * Runs one kind of task whose work lies outside the database (e.g. deleting files). Throwing means
 * "try again later"; after the last attempt the task is parked as failed. A task may run more than
 * once (a crash between its work and the commit that removes it runs it again), so handlers must be
 * idempotent. Work that is only a metadata change belongs in a {@link TransactionalTaskHandler}.
 */
@FunctionalInterface
public interface TaskHandler {
    void run(String payload) throws Exception;
}
