/**
 * A snapshot of a server's figures ({@link dev.mockstorage.stats.ServerStats}): objects and bytes per
 * bucket and node, node states and disk usage, the task queue, third-party read-through and requests.
 * The same tree is served as JSON by {@code GET /api/v1/stats}. JDK types only.
 */
package dev.mockstorage.stats;
