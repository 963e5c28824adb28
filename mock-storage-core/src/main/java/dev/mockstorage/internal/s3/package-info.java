/**
 * S3 REST semantics: the route table, request parsing from the raw path, XML in (external entities
 * disabled) and out, conditional and range requests, and the one place errors become S3 error XML.
 * Internal: no compatibility promise.
 */
package dev.mockstorage.internal.s3;
