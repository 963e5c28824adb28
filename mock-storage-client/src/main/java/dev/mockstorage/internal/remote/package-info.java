/**
 * The runtime handle over the admin HTTP API: {@link dev.mockstorage.internal.remote.HttpAdminClient}
 * implements {@link dev.mockstorage.MockStorageRuntime} for a server in another process (the Docker
 * container, the standalone jar) with {@code java.net.http}, the route table and JSON of
 * {@code internal.contract}. It depends only on those, the public API types and the JDK, never on the
 * server's layers. Internal: no compatibility promise; users get it as {@code MockStorageContainer.runtime()}.
 */
package dev.mockstorage.internal.remote;
