package dev.mockstorage.internal.metadata;

import java.time.Instant;

/**
 * One row of the task table (the write-ahead log of follow-up work).
 *
 * @param id        row id, increasing in insertion order
 * @param kind      task kind name, e.g. {@code delete-blob}
 * @param payload   kind-specific text, or null
 * @param state     {@code pending}, {@code running}, {@code failed}
 * @param attempts  how many times a worker has tried it
 * @param createdAt when it was queued
 * @param nextRunAt not to be claimed before this time
 * @param lastError last failure message, or null
 */
public record TaskRecord(
        long id,
        String kind,
        String payload,
        String state,
        int attempts,
        Instant createdAt,
        Instant nextRunAt,
        String lastError) {}
