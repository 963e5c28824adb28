/**
 * The embeddable server: {@link dev.mockstorage.server.MockStorageServer} and its builder. It implements
 * the handle {@link dev.mockstorage.MockStorageRuntime} in-process. Everything under
 * {@code dev.mockstorage.internal} has no compatibility promise.
 */
package dev.mockstorage.server;
