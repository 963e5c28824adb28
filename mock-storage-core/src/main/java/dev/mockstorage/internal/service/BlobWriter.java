package dev.mockstorage.internal.service;

import dev.mockstorage.internal.checksum.ChecksumAlgorithm;
import dev.mockstorage.internal.checksum.Hasher;
import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.storage.BlobStore;
import dev.mockstorage.internal.storage.PendingBlob;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The first half of the upload flow, shared by PutObject, UploadPart and CompleteMultipartUpload:
 * a body streamed once into a pending blob on every node while it is hashed, checked against what
 * the client declared, and committed. The caller records the blob in one metadata transaction and
 * deletes it ({@link #deleteQuietly}) when that fails.
 */
final class BlobWriter {
    private static final int COPY_BUFFER = 32 * 1024;

    private final BlobStore blobs;

    BlobWriter(BlobStore blobs) {
        this.blobs = blobs;
    }

    /** A body stored as a committed blob on every node, verified against what the client declared. */
    record StoredBlob(
            String blobId, long size, String md5Hex, Map<String, String> checksums, boolean underReplicated) {}

    /**
     * Streams the body once into a pending blob on every node while hashing it, checks length,
     * Content-MD5, payload SHA-256 and checksums (headers or trailers), and commits the blob files.
     */
    StoredBlob store(ObjectWrite write, InputStream body, byte[] expectedMd5) {
        Set<ChecksumAlgorithm> algorithms = new LinkedHashSet<>(write.checksumAlgorithms());
        algorithms.addAll(write.checksums().keySet());
        Hashing hashing = new Hashing(algorithms, write.contentSha256() != null);
        try (PendingBlob blob = prepare()) {
            long size = copy(body, blob.output(), hashing, write.declaredLength());
            if (write.declaredLength() >= 0 && size != write.declaredLength()) {
                throw new StorageException(
                        ErrorCode.IncompleteBody,
                        "the request declared " + write.declaredLength() + " bytes but the body had " + size);
            }
            Map<String, String> checksums = verify(write, hashing, expectedMd5);
            try {
                String blobId = blob.commit();
                // storage.write_quorum below the node count lets a write land on fewer nodes
                boolean underReplicated = blob.nodeIds().size() < blobs.nodes().size();
                return new StoredBlob(blobId, size, hashing.md5Hex(), checksums, underReplicated);
            } catch (IOException e) {
                throw new StorageException(
                        ErrorCode.InternalError,
                        "could not commit the object to the storage nodes: " + e.getMessage(),
                        null,
                        e);
            }
        }
    }

    /** A pending blob on every node that is up, for a caller that writes the bytes itself (multipart assembly). */
    PendingBlob prepare() {
        try {
            return blobs.prepare();
        } catch (IOException e) {
            throw new StorageException(
                    ErrorCode.InternalError,
                    "could not start writing to the storage nodes: " + e.getMessage(),
                    null,
                    e);
        }
    }

    private static long copy(InputStream body, OutputStream out, Hashing hashing, long declaredLength) {
        // a small body needs no 32 KiB buffer (one per request); +1 so the end shows in the same read
        byte[] buffer = new byte[declaredLength >= 0 ? (int) Math.min(COPY_BUFFER, declaredLength + 1) : COPY_BUFFER];
        long total = 0;
        while (true) {
            int n;
            try {
                n = body.read(buffer);
            } catch (IOException e) {
                throw new StorageException(
                        ErrorCode.IncompleteBody,
                        "the request body could not be read to its end after " + total + " bytes: " + e.getMessage(),
                        null,
                        e);
            }
            if (n < 0) {
                return total;
            }
            hashing.update(buffer, n);
            try {
                out.write(buffer, 0, n);
            } catch (IOException e) {
                throw new StorageException(
                        ErrorCode.InternalError, "could not write to the storage nodes: " + e.getMessage(), null, e);
            }
            total += n;
        }
    }

    private static Map<String, String> verify(ObjectWrite write, Hashing hashing, byte[] expectedMd5) {
        if (expectedMd5 != null && !MessageDigest.isEqual(expectedMd5, hashing.md5())) {
            throw new StorageException(
                    ErrorCode.BadDigest,
                    "The Content-MD5 you specified did not match what we received: sent " + write.contentMd5()
                            + ", computed " + Base64.getEncoder().encodeToString(hashing.md5()));
        }
        if (write.contentSha256() != null && !write.contentSha256().equalsIgnoreCase(hashing.sha256Hex())) {
            throw new StorageException(
                    ErrorCode.XAmzContentSHA256Mismatch,
                    "The provided 'x-amz-content-sha256' header does not match what was computed: sent "
                            + write.contentSha256() + ", computed " + hashing.sha256Hex());
        }
        Map<ChecksumAlgorithm, String> computed = hashing.checksums();
        Map<ChecksumAlgorithm, String> sent = new EnumMap<>(ChecksumAlgorithm.class);
        sent.putAll(write.checksums());
        Map<String, String> trailers = write.trailers().get();
        for (ChecksumAlgorithm a : ChecksumAlgorithm.values()) {
            String v = trailers.get(a.headerName());
            if (v != null) {
                sent.put(a, v.trim());
            }
        }
        for (Map.Entry<ChecksumAlgorithm, String> e : sent.entrySet()) {
            String actual = computed.get(e.getKey());
            if (actual == null) {
                continue; // a trailer nobody announced: nothing computed to compare with
            }
            if (!actual.equals(e.getValue())) {
                throw new StorageException(
                        ErrorCode.BadDigest,
                        "The " + e.getKey() + " you specified did not match the calculated checksum: sent "
                                + e.getValue() + ", computed " + actual);
            }
        }
        Map<String, String> stored = new LinkedHashMap<>();
        computed.forEach((a, v) -> stored.put(a.name(), v));
        return stored;
    }

    /** Deletes a committed blob whose metadata transaction failed; one that cannot be deleted is left as an orphan. */
    void deleteQuietly(String blobId) {
        try {
            blobs.delete(blobId);
        } catch (IOException | RuntimeException e) {
            // left as an orphan; the consistency check removes it
        }
    }

    /** MD5 (the ETag), an optional SHA-256 of the payload, and the requested S3 checksums, all in one pass. */
    private static final class Hashing {
        private final MessageDigest md5;
        private final MessageDigest sha256;
        private final Map<ChecksumAlgorithm, Hasher> checksums = new EnumMap<>(ChecksumAlgorithm.class);
        private byte[] md5Digest;
        private byte[] sha256Digest;
        private Map<ChecksumAlgorithm, String> checksumValues;

        Hashing(Set<ChecksumAlgorithm> algorithms, boolean payloadSha256) {
            try {
                md5 = MessageDigest.getInstance("MD5");
                sha256 = payloadSha256 ? MessageDigest.getInstance("SHA-256") : null;
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            for (ChecksumAlgorithm a : algorithms) {
                checksums.put(a, a.newHasher());
            }
        }

        void update(byte[] b, int n) {
            md5.update(b, 0, n);
            if (sha256 != null) {
                sha256.update(b, 0, n);
            }
            for (Hasher h : checksums.values()) {
                h.update(b, 0, n);
            }
        }

        byte[] md5() {
            if (md5Digest == null) {
                md5Digest = md5.digest();
            }
            return md5Digest;
        }

        String md5Hex() {
            return HexFormat.of().formatHex(md5());
        }

        String sha256Hex() {
            if (sha256Digest == null) {
                sha256Digest = sha256.digest();
            }
            return HexFormat.of().formatHex(sha256Digest);
        }

        Map<ChecksumAlgorithm, String> checksums() {
            if (checksumValues == null) {
                checksumValues = new EnumMap<>(ChecksumAlgorithm.class);
                checksums.forEach((a, h) -> checksumValues.put(a, h.base64()));
            }
            return checksumValues;
        }
    }
}
