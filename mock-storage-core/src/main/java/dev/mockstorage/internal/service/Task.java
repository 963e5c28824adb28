package dev.mockstorage.internal.service;

/**
 * A follow-up task, written in the same metadata transaction as the change that needs it (the task
 * table is the write-ahead log) and run by the queue's workers afterwards. Each kind is one record:
 * its stored kind name, its payload fields, the payload's text codec and its handler, which
 * {@link Tasks#handlers} registers. Payloads are short space-separated text, cheap to build on the
 * request path and readable in the failed-task listing; a field that may hold spaces (a key) comes
 * last. Rows written by an earlier version must still run, so a kind's name and payload format never
 * change: a new format is a new kind.
 */
public sealed interface Task permits DeleteBlob, DeleteBlobs, UploadCompleted, RepairBlob, ExpireByLifecycle {
    /** The kind name stored in the task row. */
    String kind();

    /** The payload as stored in the task row. */
    String payload();
}
