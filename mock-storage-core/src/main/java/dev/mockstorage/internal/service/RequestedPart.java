package dev.mockstorage.internal.service;

import dev.mockstorage.internal.checksum.ChecksumAlgorithm;
import java.util.Map;

/** A part as listed in a CompleteMultipartUpload request; {@code checksums} by algorithm, base64. */
public record RequestedPart(int partNumber, String etag, Map<ChecksumAlgorithm, String> checksums) {}
