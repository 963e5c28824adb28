/**
 * The error vocabulary shared by every layer: {@link dev.mockstorage.internal.error.ErrorCode}
 * (HTTP status + S3 code) and the one exception that carries it. Internal: no compatibility promise.
 */
package dev.mockstorage.internal.error;
