package dev.mockstorage.internal.queue;

import dev.mockstorage.internal.metadata.Tx;

/**
 * Runs one kind of task whose whole effect is a metadata change (bookkeeping). The worker applies
 * it inside the transaction that removes the task, together with the rest of its batch, so it takes
 * effect exactly once and a batch of them costs one commit. Throwing rolls back this task's change
 * alone (a savepoint) and counts as a failed attempt, retried like any other.
 */
@FunctionalInterface
public interface TransactionalTaskHandler {
    void apply(Tx tx, String payload);
}
