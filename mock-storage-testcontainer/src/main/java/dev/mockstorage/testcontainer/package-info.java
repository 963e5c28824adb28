/**
 * Testcontainers support: {@link dev.mockstorage.testcontainer.MockStorageContainer} starts the
 * mock-storage Docker image (built from this module's {@code Dockerfile}) and hands out its S3
 * endpoint, region and credentials as JDK types, and {@code runtime()}: core's
 * {@link dev.mockstorage.MockStorageRuntime} over the admin HTTP API, so a test reads the same against
 * the container and the in-process server.
 */
package dev.mockstorage.testcontainer;
