/**
 * Request authentication for the S3 API in strict mode ({@code auth.mode = strict}): AWS Signature
 * Version 4 in the {@code Authorization} header, in presigned URLs (expiry included) and on each
 * {@code aws-chunked} chunk and trailer, plus the {@code x-amz-content-sha256} body hash, checked
 * against the configured access keys with S3's error codes. {@link dev.mockstorage.internal.auth.Authenticator}
 * is called by the S3 API before dispatch; body checks ride along as an
 * {@link dev.mockstorage.internal.http.BodyVerifier}, so this package depends on the {@code http} types
 * and {@code error} only, and open mode (the default) runs none of it.
 * Internal: no compatibility promise.
 */
package dev.mockstorage.internal.auth;
