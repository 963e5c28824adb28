package dev.mockstorage.internal.service;

import dev.mockstorage.internal.metadata.Tx;
import dev.mockstorage.internal.queue.TaskHandlers;
import dev.mockstorage.internal.storage.BlobStore;
import java.util.List;

/**
 * Task: delete several blobs from every node (a reset, a deleted bucket's uploads, an aborted or
 * completed upload's parts). Payload: the blob ids, space-separated.
 */
record DeleteBlobs(List<String> blobIds) implements Task {
    static final String KIND = "delete-blobs";

    /** Queues the deletion of {@code blobIds} in {@code tx}; nothing when there are none. */
    static void enqueue(Tx tx, List<String> blobIds) {
        if (!blobIds.isEmpty()) {
            tx.enqueueTask(KIND, String.join(" ", blobIds));
        }
    }

    static DeleteBlobs decode(String payload) {
        return new DeleteBlobs(List.of(payload.split(" ")));
    }

    static void register(TaskHandlers handlers, BlobStore blobs) {
        handlers.run(KIND, payload -> {
            for (String blobId : decode(payload).blobIds()) {
                blobs.delete(blobId);
            }
        });
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String payload() {
        return String.join(" ", blobIds);
    }
}
