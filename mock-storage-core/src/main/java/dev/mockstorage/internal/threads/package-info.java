/**
 * The threads the servers of one JVM borrow ({@code SharedThreads}): for their long-running loops (the HTTP
 * dispatcher and request workers, the task queue's workers) and for their periodic work. Internal: no
 * compatibility promise.
 */
package dev.mockstorage.internal.threads;
