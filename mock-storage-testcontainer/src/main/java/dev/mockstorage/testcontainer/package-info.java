/**
 * Testcontainers support: {@link dev.mockstorage.testcontainer.MockStorageContainer} starts the
 * mock-storage Docker image (built from this module's {@code Dockerfile}) and hands out its S3
 * endpoint, region and credentials as JDK types.
 */
package dev.mockstorage.testcontainer;
