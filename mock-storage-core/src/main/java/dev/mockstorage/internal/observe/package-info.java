/**
 * Observation of every answered request: one {@link dev.mockstorage.internal.observe.RequestEvent} per
 * request, emitted after the response's last byte was written, fanned out to the request journal,
 * the Prometheus metrics and the JSON access log. Depends on {@code http} only (plus the public
 * journal and stats types). Internal: no compatibility promise.
 */
package dev.mockstorage.internal.observe;
