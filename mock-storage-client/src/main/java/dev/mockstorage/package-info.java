/**
 * The handle a test holds on a running mock-storage, {@link dev.mockstorage.MockStorageRuntime}, whatever
 * runs it: the in-process server of {@code mock-storage-core} ({@code dev.mockstorage.server}) or a Docker
 * container ({@code mock-storage-testcontainer}). The plain-data types it uses are in
 * {@code dev.mockstorage.thirdparty}, {@code .journal} and {@code .stats}; everything under
 * {@code dev.mockstorage.internal} has no compatibility promise.
 */
package dev.mockstorage;
