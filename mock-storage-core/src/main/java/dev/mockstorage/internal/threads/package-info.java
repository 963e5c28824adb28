/**
 * The threads the servers of one JVM borrow for their long-running loops ({@code SharedThreads}): the HTTP
 * dispatcher and request workers, the task queue's workers. Internal: no compatibility promise.
 */
package dev.mockstorage.internal.threads;
