package dev.mockstorage.internal.service;

import dev.mockstorage.internal.metadata.Tx;
import dev.mockstorage.internal.queue.TaskHandlers;
import dev.mockstorage.internal.storage.BlobStore;

/**
 * Task: delete a blob from every node, queued when an object, version or part stops referring to it.
 * Payload: the blob id.
 */
record DeleteBlob(String blobId) implements Task {
    static final String KIND = "delete-blob";

    /** Queues the deletion in {@code tx}. */
    static void enqueue(Tx tx, String blobId) {
        tx.enqueueTask(KIND, blobId);
    }

    static DeleteBlob decode(String payload) {
        return new DeleteBlob(payload);
    }

    static void register(TaskHandlers handlers, BlobStore blobs) {
        handlers.run(KIND, payload -> blobs.delete(decode(payload).blobId()));
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String payload() {
        return blobId;
    }
}
