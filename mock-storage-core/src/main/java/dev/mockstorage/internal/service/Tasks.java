package dev.mockstorage.internal.service;

import dev.mockstorage.internal.metadata.MetadataStore;
import dev.mockstorage.internal.queue.TaskHandlers;
import dev.mockstorage.internal.storage.BlobStore;

/** The handlers of the {@link Task} kinds, each registered by its own record. */
public final class Tasks {
    private Tasks() {}

    /** The handler of every task kind, for the queue's construction. */
    public static TaskHandlers handlers(MetadataStore metadata, BlobStore blobs) {
        TaskHandlers handlers = TaskHandlers.create();
        DeleteBlob.register(handlers, blobs);
        DeleteBlobs.register(handlers, blobs);
        UploadCompleted.register(handlers);
        RepairBlob.register(handlers, metadata, blobs);
        ExpireByLifecycle.register(handlers, metadata);
        return handlers;
    }
}
