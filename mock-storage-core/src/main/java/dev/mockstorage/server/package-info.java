/**
 * The public API of mock-storage: {@link dev.mockstorage.server.MockStorageServer} and its builder.
 * Everything under {@code dev.mockstorage.internal} has no compatibility promise.
 */
package dev.mockstorage.server;
