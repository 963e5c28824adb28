package dev.mockstorage.internal.service;

import dev.mockstorage.internal.checksum.ChecksumAlgorithm;
import dev.mockstorage.internal.checksum.Hasher;
import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.metadata.MetadataStore;
import dev.mockstorage.internal.metadata.MultipartLayout;
import dev.mockstorage.internal.metadata.PartRecord;
import dev.mockstorage.internal.metadata.UploadRecord;
import dev.mockstorage.internal.storage.BlobReader;
import dev.mockstorage.internal.storage.BlobStore;
import dev.mockstorage.internal.storage.PendingBlob;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The part of CompleteMultipartUpload that works on the parts: checks the list a client sent against the parts
 * stored (ascending part numbers, existing parts with these ETags and checksums, every part but the last at least
 * {@link #MIN_PART_SIZE}), then streams them into ONE new committed blob and computes the object's ETag,
 * checksums (composite or full-object, as the upload asked) and layout. Stores no metadata: the caller commits the
 * object, or deletes the blob when it does not.
 */
final class PartAssembly {
    /** Smallest size of every part but the last, as on S3. */
    static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    /** {@code x-amz-checksum-type} values. */
    static final String COMPOSITE = "COMPOSITE";

    static final String FULL_OBJECT = "FULL_OBJECT";

    private static final int COPY_BUFFER = 64 * 1024;

    private final MetadataStore metadata;
    private final BlobStore blobs;
    private final BlobWriter writer;

    PartAssembly(MetadataStore metadata, BlobStore blobs, BlobWriter writer) {
        this.metadata = metadata;
        this.blobs = blobs;
        this.writer = writer;
    }

    /**
     * The assembled object.
     *
     * @param parts           the parts it was made of, in order
     * @param underReplicated whether the blob reached fewer nodes than there are (storage.write_quorum below the count)
     */
    record Assembled(
            List<PartRecord> parts,
            String blobId,
            long size,
            String etag,
            Map<String, String> checksums,
            MultipartLayout layout,
            boolean underReplicated) {}

    /** The stored parts the request lists, in its order; {@code InvalidPart}, {@code InvalidPartOrder} or {@code EntityTooSmall}. */
    List<PartRecord> check(UploadRecord upload, List<RequestedPart> requested) {
        String uploadId = upload.uploadId();
        Map<Integer, PartRecord> stored = new LinkedHashMap<>();
        for (PartRecord p : metadata.parts(upload.uploadId(), 0, Integer.MAX_VALUE)) {
            stored.put(p.partNumber(), p);
        }
        List<PartRecord> parts = new ArrayList<>();
        int previous = 0;
        for (RequestedPart r : requested) {
            if (r.partNumber() <= previous) {
                throw new StorageException(
                                ErrorCode.InvalidPartOrder,
                                "The list of parts was not in ascending order. "
                                        + "Parts must be ordered by part number: part " + r.partNumber()
                                        + " follows part " + previous)
                        .with("UploadId", uploadId);
            }
            previous = r.partNumber();
            PartRecord p = stored.get(r.partNumber());
            String etag = r.etag() == null ? null : r.etag().trim().replace("\"", "");
            if (p == null || etag == null || !p.etag().equalsIgnoreCase(etag)) {
                throw invalidPart(
                        uploadId,
                        r,
                        p == null ? "it was not uploaded" : "its ETag is \"" + p.etag() + "\", not " + r.etag());
            }
            for (Map.Entry<ChecksumAlgorithm, String> c : r.checksums().entrySet()) {
                String actual = p.checksums().get(c.getKey().name());
                if (actual == null || !actual.equals(c.getValue().trim())) {
                    throw invalidPart(
                            uploadId,
                            r,
                            "its " + c.getKey() + " is " + (actual == null ? "not known" : actual) + ", not "
                                    + c.getValue());
                }
            }
            parts.add(p);
        }
        for (int i = 0; i < parts.size() - 1; i++) {
            PartRecord p = parts.get(i);
            if (p.size() < MIN_PART_SIZE) {
                throw new StorageException(
                                ErrorCode.EntityTooSmall,
                                "Your proposed upload is smaller than the minimum allowed "
                                        + "object size: part " + p.partNumber() + " has " + p.size()
                                        + " bytes; every part but the last needs at least "
                                        + MIN_PART_SIZE)
                        .with("ProposedSize", Long.toString(p.size()))
                        .with("MinSizeAllowed", Long.toString(MIN_PART_SIZE))
                        .with("PartNumber", Integer.toString(p.partNumber()))
                        .with("ETag", "\"" + p.etag() + "\"");
            }
        }
        return parts;
    }

    /**
     * Assembles the checked parts into one blob; {@code BadDigest} (the blob deleted) when a whole-object checksum
     * the client sent does not match.
     */
    Assembled assemble(
            UploadRecord upload, List<PartRecord> parts, Map<ChecksumAlgorithm, String> fullObjectChecksums) {
        String uploadId = upload.uploadId();
        ChecksumAlgorithm algorithm =
                upload.checksumAlgorithm() == null ? null : ChecksumAlgorithm.valueOf(upload.checksumAlgorithm());
        Map<String, String> checksums = new LinkedHashMap<>();
        if (algorithm != null && COMPOSITE.equals(upload.checksumType())) {
            checksums.put(algorithm.name(), composite(algorithm, parts, uploadId));
        }
        // S3 keeps a full-object CRC64NVME of an upload created without an algorithm
        ChecksumAlgorithm whole = algorithm == null
                ? ChecksumAlgorithm.CRC64NVME
                : FULL_OBJECT.equals(upload.checksumType()) ? algorithm : null;

        Blob assembled = write(parts, whole);
        if (whole != null) {
            checksums.put(whole.name(), assembled.fullChecksum());
        }
        for (Map.Entry<ChecksumAlgorithm, String> c : fullObjectChecksums.entrySet()) {
            String actual = checksums.get(c.getKey().name());
            if (actual != null && !actual.equals(c.getValue().trim())) {
                writer.deleteQuietly(assembled.blobId());
                throw new StorageException(
                        ErrorCode.BadDigest,
                        "The " + c.getKey() + " you specified did not match the calculated " + "checksum: sent "
                                + c.getValue() + ", computed " + actual);
            }
        }
        MessageDigest md5OfMd5s = md5();
        List<Long> sizes = new ArrayList<>();
        for (PartRecord p : parts) {
            md5OfMd5s.update(HexFormat.of().parseHex(p.etag()));
            sizes.add(p.size());
        }
        String etag = HexFormat.of().formatHex(md5OfMd5s.digest()) + "-" + parts.size();
        MultipartLayout layout =
                new MultipartLayout(assembled.blobId(), assembled.md5Hex(), List.copyOf(sizes), uploadId);
        return new Assembled(
                List.copyOf(parts),
                assembled.blobId(),
                assembled.size(),
                etag,
                checksums,
                layout,
                assembled.underReplicated());
    }

    /** S3's composite checksum: the algorithm over the concatenated binary part checksums, then {@code -N}. */
    private static String composite(ChecksumAlgorithm algorithm, List<PartRecord> parts, String uploadId) {
        Hasher h = algorithm.newHasher();
        for (PartRecord p : parts) {
            String value = p.checksums().get(algorithm.name());
            if (value == null) {
                throw new StorageException(
                                ErrorCode.InvalidRequest,
                                "The upload was created with the " + algorithm + " checksum algorithm but part "
                                        + p.partNumber() + " has no " + algorithm + " checksum")
                        .with("UploadId", uploadId);
            }
            byte[] raw = Base64.getDecoder().decode(value);
            h.update(raw, 0, raw.length);
        }
        return h.base64() + "-" + parts.size();
    }

    /** @param underReplicated whether the blob reached fewer nodes than there are (storage.write_quorum below the count) */
    private record Blob(String blobId, long size, String md5Hex, String fullChecksum, boolean underReplicated) {}

    /** Streams the parts' bytes, in order, into one new committed blob, hashing MD5 (and {@code whole}) on the way. */
    private Blob write(List<PartRecord> parts, ChecksumAlgorithm whole) {
        MessageDigest md5 = md5();
        Hasher full = whole == null ? null : whole.newHasher();
        byte[] buffer = new byte[COPY_BUFFER];
        long total = 0;
        try (PendingBlob blob = writer.prepare()) {
            OutputStream out = blob.output();
            for (PartRecord p : parts) {
                Optional<BlobReader> reader = blobs.find(p.blobId(), p.size(), p.etag());
                if (reader.isEmpty()) {
                    throw new StorageException(
                            ErrorCode.InternalError,
                            "no storage node holds an intact copy of part " + p.partNumber() + " of upload "
                                    + p.uploadId() + " (blob " + p.blobId() + ")");
                }
                try (InputStream in = reader.get().open(0, p.size())) {
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        md5.update(buffer, 0, n);
                        if (full != null) {
                            full.update(buffer, 0, n);
                        }
                        out.write(buffer, 0, n);
                        total += n;
                    }
                }
            }
            String blobId = blob.commit();
            return new Blob(
                    blobId,
                    total,
                    HexFormat.of().formatHex(md5.digest()),
                    full == null ? null : full.base64(),
                    blob.nodeIds().size() < blobs.nodes().size());
        } catch (IOException e) {
            throw new StorageException(
                    ErrorCode.InternalError, "could not assemble the parts: " + e.getMessage(), null, e);
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static StorageException invalidPart(String uploadId, RequestedPart r, String why) {
        return new StorageException(
                        ErrorCode.InvalidPart,
                        "One or more of the specified parts could not be found. The part may "
                                + "not have been uploaded, or the specified entity tag may not match the part's entity tag: part "
                                + r.partNumber() + ": " + why)
                .with("UploadId", uploadId)
                .with("PartNumber", Integer.toString(r.partNumber()))
                .with("ETag", r.etag());
    }
}
