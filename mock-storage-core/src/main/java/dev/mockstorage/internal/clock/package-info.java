/**
 * The server's one clock ({@code ServerClock}): the time every behaviour that depends on the date reads
 * (Last-Modified, lifecycle expiry, object-lock retention, presigned-URL expiry, the request journal),
 * which tests move forward instead of waiting. Internal: no compatibility promise.
 */
package dev.mockstorage.internal.clock;
