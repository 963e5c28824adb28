/**
 * Where missing objects come from: {@link dev.mockstorage.internal.thirdparty.ThirdPartySource} fetches
 * {@code bucket/key} over HTTP (URL template, timeouts, retries, a streamed body) from a real upstream or
 * from the in-process {@link dev.mockstorage.internal.thirdparty.ScriptedUpstream}, which plays the public
 * {@code dev.mockstorage.thirdparty} scripts on a real socket. Knows nothing of S3, services or the
 * server's own HTTP layer. Internal: no compatibility promise.
 */
package dev.mockstorage.internal.thirdparty;
