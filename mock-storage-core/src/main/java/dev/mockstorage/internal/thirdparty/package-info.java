/**
 * Where missing objects come from: {@link dev.mockstorage.internal.thirdparty.ThirdPartySource} fetches
 * {@code bucket/key} over HTTP (URL template, timeouts, retries, a streamed body) from a real upstream or
 * from the in-process {@link dev.mockstorage.internal.thirdparty.ScriptedUpstream}, which keeps the public
 * {@code dev.mockstorage.thirdparty} scripts and the calls, reads each call ({@code UpstreamRequest}) and
 * plays the matching reply on a real socket ({@code ReplyWriter}). {@code ReadThroughPolicy} says what an
 * upstream answer means for a read-through (stored, {@code NoSuchKey}, {@code ServiceUnavailable}) and
 * counts the outcomes. Knows nothing of S3, services or the server's own HTTP layer. Internal: no
 * compatibility promise.
 */
package dev.mockstorage.internal.thirdparty;
