/**
 * The embeddable server: {@link dev.mockstorage.server.MockStorageServer} and its builder, a thin public face
 * that implements the handle {@link dev.mockstorage.MockStorageRuntime} in-process. Behind it, one
 * package-private class builds the server's parts once, in order, and closes them in reverse ({@code Wiring});
 * others route each request to the admin API, the console or S3 ({@code RequestRouter}), reset the store
 * ({@code Reset}), and word a failed start ({@code StartFailure}, {@code CreatedPaths}). Everything under
 * {@code dev.mockstorage.internal} has no compatibility promise.
 */
package dev.mockstorage.server;
