package dev.mockstorage.internal.storage;

/** Whether a storage node takes reads and writes. */
public enum NodeState {
    UP,
    DOWN
}
