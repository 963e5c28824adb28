/**
 * Checksums S3 clients send and expect: CRC32, CRC32C, CRC64NVME, SHA-1, SHA-256 (and MD5 for ETags).
 * Internal: no compatibility promise.
 */
package dev.mockstorage.internal.checksum;
