/**
 * The management side on the S3 port: {@code /health}, {@code /metrics} and {@code /api/v1/**}. Dispatch
 * follows the one route table, {@code internal.contract.AdminRoute} (shared with the remote handle), and
 * answers are written with its JSON codec, {@code AdminJson}; the handlers are grouped by what they serve
 * (observation, objects, runtime and faults, the console's inspection, the third party). Errors are JSON.
 * Internal: no compatibility promise.
 */
package dev.mockstorage.internal.admin;
