package dev.mockstorage.internal.storage;

/** What the consistency check finds for one node's copy of a blob ({@link Replicas#state}). */
public enum ReplicaState {
    /** right size and (when checked) right content */
    INTACT,
    /** no file */
    MISSING,
    /** a file of another size */
    WRONG_SIZE,
    /** the right size but other content */
    WRONG_CONTENT
}
