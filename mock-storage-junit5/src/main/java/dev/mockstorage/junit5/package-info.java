/**
 * The JUnit Jupiter extension of mock-storage: {@link dev.mockstorage.junit5.MockStorage} on a test
 * class or method starts an in-process server per test and injects its handle
 * ({@code MockStorageRuntime}) and, with the AWS SDK v2 on the classpath, ready {@code S3Client} and
 * {@code S3AsyncClient}s. This annotation is the whole public API of the module.
 */
package dev.mockstorage.junit5;
