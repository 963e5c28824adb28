package dev.mockstorage.internal.queue;

/** Runs one kind of task. Throwing means "try again later"; after the last attempt the task is parked as failed. */
@FunctionalInterface
public interface TaskHandler {
    void run(String payload) throws Exception;
}
