package dev.mockstorage.internal.service;

import dev.mockstorage.internal.checksum.ChecksumAlgorithm;
import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.metadata.BucketRecord;
import dev.mockstorage.internal.metadata.MetadataStore;
import dev.mockstorage.internal.metadata.MultipartLayout;
import dev.mockstorage.internal.metadata.ObjectRecord;
import dev.mockstorage.internal.metadata.PartRecord;
import dev.mockstorage.internal.metadata.UploadRecord;
import dev.mockstorage.internal.queue.TaskQueue;
import dev.mockstorage.internal.service.BlobWriter.StoredBlob;
import dev.mockstorage.internal.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Multipart uploads. Every part is its own immutable blob written by the upload flow
 * ({@link BlobWriter}) and a row in {@code upload_parts}. Completing checks and streams the listed
 * parts into ONE new blob ({@link PartAssembly}) (so an object is always one blob and reads are unchanged), then in one
 * transaction stores the object row and its {@link MultipartLayout}, removes the upload and queues
 * the deletion of every part blob. Aborting removes the rows and queues the same deletion.
 *
 * <p>Two things clients rely on when they retry, as S3 does them: of two uploads of one part number, the one
 * STARTED later is kept, whichever finishes last (each takes a number from {@link #partStarts} before it reads its
 * body); and a CompleteMultipartUpload retried after one that succeeded answers the same object again, as long
 * as that object is the key's current one (not overwritten or deleted since), then {@code NoSuchUpload}.
 */
public final class MultipartService {
    /** Highest part number, as on S3. */
    public static final int MAX_PART_NUMBER = 10_000;

    private final MetadataStore metadata;
    private final TaskQueue queue;
    private final Clock clock;
    private final Buckets buckets;
    private final BlobWriter writer;
    private final ObjectReads reads;
    private final AccessControls access;
    private final PartAssembly assembly;
    private final AtomicInteger sequence = new AtomicInteger();
    /** Numbers part uploads in the order they start; goes on from the largest stored, so it orders across restarts. */
    private final AtomicLong partStarts;

    MultipartService(
            MetadataStore metadata,
            BlobStore blobs,
            TaskQueue queue,
            Clock clock,
            Buckets buckets,
            BlobWriter writer,
            ObjectReads reads,
            AccessControls access) {
        this.metadata = metadata;
        this.queue = queue;
        this.clock = clock;
        this.buckets = buckets;
        this.writer = writer;
        this.reads = reads;
        this.access = access;
        this.assembly = new PartAssembly(metadata, blobs, writer);
        this.partStarts = new AtomicLong(metadata.isNew() ? 0 : metadata.lastPartStart());
    }

    /**
     * Starts an upload.
     *
     * @param write        the object's metadata (key, type, user metadata, headers; no body facts)
     * @param algorithm    checksum algorithm asked for ({@code x-amz-checksum-algorithm}), or null
     * @param checksumType {@code COMPOSITE}, {@code FULL_OBJECT}, or null for the algorithm's default
     */
    public UploadRecord create(ObjectWrite write, ChecksumAlgorithm algorithm, String checksumType) {
        WriteChecks.validateKey(write.key());
        WriteChecks.validateUserMetadata(write.userMetadata());
        buckets.require(write.bucket());
        access.checkAclWrite(write.bucket(), write.grants());
        String type = checksumType(algorithm, checksumType);
        UploadRecord upload = new UploadRecord(
                write.bucket(),
                write.key(),
                newUploadId(),
                now(),
                write.contentType(),
                new LinkedHashMap<>(write.userMetadata()),
                new LinkedHashMap<>(write.headers()),
                algorithm == null ? null : algorithm.name(),
                type,
                Map.copyOf(write.tags()),
                write.grants());
        metadata.write(tx -> {
            if (tx.bucket(write.bucket()).isEmpty()) {
                throw NotFound.bucket(write.bucket());
            }
            tx.createUpload(upload);
            return null;
        });
        return upload;
    }

    private static String checksumType(ChecksumAlgorithm algorithm, String requested) {
        String type = requested == null ? null : requested.trim().toUpperCase(Locale.ROOT);
        if (type != null && !type.equals(PartAssembly.COMPOSITE) && !type.equals(PartAssembly.FULL_OBJECT)) {
            throw new StorageException(
                    ErrorCode.InvalidRequest,
                    "Value for x-amz-checksum-type header is invalid: " + requested + " (COMPOSITE or FULL_OBJECT)");
        }
        if (algorithm == null) {
            if (type != null) {
                throw new StorageException(
                        ErrorCode.InvalidRequest,
                        "The x-amz-checksum-type header can only be used with the "
                                + "x-amz-checksum-algorithm header.");
            }
            return null;
        }
        boolean crc = algorithm == ChecksumAlgorithm.CRC32
                || algorithm == ChecksumAlgorithm.CRC32C
                || algorithm == ChecksumAlgorithm.CRC64NVME;
        if (type == null) {
            return algorithm == ChecksumAlgorithm.CRC64NVME ? PartAssembly.FULL_OBJECT : PartAssembly.COMPOSITE;
        }
        if (type.equals(PartAssembly.FULL_OBJECT) && !crc
                || type.equals(PartAssembly.COMPOSITE) && algorithm == ChecksumAlgorithm.CRC64NVME) {
            throw new StorageException(
                    ErrorCode.InvalidRequest,
                    "The " + type + " checksum type cannot be used with the " + algorithm + " checksum algorithm.");
        }
        return type;
    }

    /** Upload ids sort in initiation order: creation time (the server's clock, as {@code initiated}), a sequence, then randomness. */
    private String newUploadId() {
        return String.format(Locale.ROOT, "%012x%08x", clock.millis(), sequence.incrementAndGet() & 0xffffffffL)
                + Base64.getUrlEncoder().withoutPadding().encodeToString(RandomBytes.of(12));
    }

    /** The upload, which must be in progress for {@code bucket}/{@code key}; {@code NoSuchUpload} otherwise. */
    public UploadRecord upload(String bucket, String key, String uploadId) {
        return inProgress(bucket, key, uploadId).orElseThrow(() -> noSuchUpload(bucket, uploadId));
    }

    private Optional<UploadRecord> inProgress(String bucket, String key, String uploadId) {
        Optional<UploadRecord> found = uploadId == null ? Optional.empty() : metadata.upload(uploadId);
        return found.filter(u -> u.bucket().equals(bucket) && u.key().equals(key));
    }

    /** {@code NoSuchBucket} when the bucket is gone, else {@code NoSuchUpload}. */
    private StorageException noSuchUpload(String bucket, String uploadId) {
        buckets.require(bucket);
        return noSuchUpload(uploadId);
    }

    /** Stores one part (UploadPart): the body through the upload flow, then the part row; replaces an earlier part. */
    public PartRecord uploadPart(
            String bucket, String key, String uploadId, int partNumber, ObjectWrite write, InputStream body) {
        checkPartNumber(partNumber);
        long started = partStarts.incrementAndGet();
        UploadRecord upload = upload(bucket, key, uploadId);
        byte[] expectedMd5 = WriteChecks.decodeContentMd5(write.contentMd5());
        WriteChecks.validateChecksumValues(write.checksums());
        queue.awaitRoom();
        StoredBlob stored = writer.store(withAlgorithm(write, upload), body, expectedMd5);
        return recordPart(upload, partNumber, stored, started);
    }

    /** UploadPartCopy: {@code length} bytes of {@code source} from {@code offset} become a part. */
    public PartRecord copyPart(
            String bucket, String key, String uploadId, int partNumber, ObjectRecord source, long offset, long length) {
        checkPartNumber(partNumber);
        long started = partStarts.incrementAndGet();
        UploadRecord upload = upload(bucket, key, uploadId);
        queue.awaitRoom();
        ObjectWrite write =
                new ObjectWrite(bucket, key, null, Map.of(), Map.of(), null, null, Map.of(), Set.of(), Map::of, length);
        StoredBlob stored;
        try (InputStream in = reads.read(source, offset, length)) {
            stored = writer.store(withAlgorithm(write, upload), in, null);
        } catch (IOException e) {
            throw new StorageException(
                    ErrorCode.InternalError, "could not read the copy source: " + e.getMessage(), null, e);
        }
        return recordPart(upload, partNumber, stored, started);
    }

    /**
     * Stores the part row, unless an upload of that part number started after this one is stored already: then this
     * one's blob goes, as a replaced part's does. Either way the client gets this part's ETag, as S3 answers it.
     */
    private PartRecord recordPart(UploadRecord upload, int partNumber, StoredBlob stored, long started) {
        PartRecord part = new PartRecord(
                upload.uploadId(),
                partNumber,
                stored.blobId(),
                stored.size(),
                stored.md5Hex(),
                now(),
                stored.checksums(),
                started);
        try {
            metadata.write(tx -> {
                if (tx.upload(upload.uploadId()).isEmpty()) {
                    throw noSuchUpload(upload.uploadId()); // completed or aborted meanwhile
                }
                tx.putPart(part).ifPresent(lost -> DeleteBlob.enqueue(tx, lost.blobId()));
                return null;
            });
        } catch (RuntimeException e) {
            writer.deleteQuietly(stored.blobId());
            throw e;
        }
        queue.wakeUp();
        return part;
    }

    /** The write with the upload's checksum algorithm added, so every part gets that checksum computed. */
    private static ObjectWrite withAlgorithm(ObjectWrite w, UploadRecord upload) {
        if (upload.checksumAlgorithm() == null) {
            return w;
        }
        Set<ChecksumAlgorithm> algorithms = new LinkedHashSet<>(w.checksumAlgorithms());
        algorithms.add(ChecksumAlgorithm.valueOf(upload.checksumAlgorithm()));
        return new ObjectWrite(
                w.bucket(),
                w.key(),
                w.contentType(),
                w.userMetadata(),
                w.headers(),
                w.contentMd5(),
                w.contentSha256(),
                w.checksums(),
                algorithms,
                w.trailers(),
                w.declaredLength());
    }

    private static void checkPartNumber(int partNumber) {
        if (partNumber < 1 || partNumber > MAX_PART_NUMBER) {
            throw new StorageException(
                            ErrorCode.InvalidArgument,
                            "Part number must be an integer between 1 and " + MAX_PART_NUMBER + ", inclusive")
                    .with("ArgumentName", "partNumber")
                    .with("ArgumentValue", Integer.toString(partNumber));
        }
    }

    /** The part sizes and content MD5 of an object stored by CompleteMultipartUpload, if it was. */
    public Optional<MultipartLayout> layout(ObjectRecord object) {
        if (object.etag().indexOf('-') < 0) {
            return Optional.empty();
        }
        return metadata.multipartLayout(object.bucket(), object.key(), object.blobId());
    }

    /** One page of an upload's parts (ListParts). */
    public List<PartRecord> parts(String uploadId, int afterPartNumber, int limit) {
        return metadata.parts(uploadId, afterPartNumber, limit);
    }

    /** Uploads in progress in key then initiation order (ListMultipartUploads reads pages of these). */
    public List<UploadRecord> uploads(String bucket, String prefix, String afterKey, String afterUploadId, int limit) {
        buckets.require(bucket);
        return metadata.uploads(bucket, prefix, afterKey, afterUploadId, limit);
    }

    /** AbortMultipartUpload: the rows go now, the part files when the queue runs. */
    public void abort(String bucket, String key, String uploadId) {
        upload(bucket, key, uploadId);
        queue.awaitRoom();
        metadata.write(tx -> {
            if (tx.upload(uploadId).isEmpty()) {
                throw noSuchUpload(uploadId);
            }
            DeleteBlobs.enqueue(tx, tx.deleteUpload(uploadId));
            return null;
        });
        queue.wakeUp();
    }

    /**
     * CompleteMultipartUpload: checks the list (ascending part numbers, existing parts with these
     * ETags and checksums, every part but the last at least {@link PartAssembly#MIN_PART_SIZE}), assembles the
     * parts into one blob, and stores the object in one transaction with the removal of the upload.
     *
     * A retry after a Complete that succeeded (whose answer the client lost) answers the object that one made, as
     * long as it is the key's current object; nothing is checked or stored again.
     *
     * @param fullObjectChecksums whole-object checksums the client sent with the request (headers), checked
     */
    public ObjectRecord complete(
            String bucket,
            String key,
            String uploadId,
            List<RequestedPart> requested,
            Map<ChecksumAlgorithm, String> fullObjectChecksums) {
        return complete(bucket, key, uploadId, requested, fullObjectChecksums, WriteCondition.NONE);
    }

    /**
     * CompleteMultipartUpload if {@code condition} holds of the key's current object, before the parts are
     * assembled and again when the object commits (see {@link WriteCondition}); a failed condition leaves the
     * upload as it was. A retry of a Complete that succeeded answers its object before any condition is looked at:
     * the object the condition would now see is the one that Complete made.
     */
    public ObjectRecord complete(
            String bucket,
            String key,
            String uploadId,
            List<RequestedPart> requested,
            Map<ChecksumAlgorithm, String> fullObjectChecksums,
            WriteCondition condition) {
        Optional<UploadRecord> inProgress = inProgress(bucket, key, uploadId);
        if (inProgress.isEmpty()) {
            return (uploadId == null ? Optional.<ObjectRecord>empty() : metadata.completedUpload(bucket, key, uploadId))
                    .orElseThrow(() -> noSuchUpload(bucket, uploadId));
        }
        UploadRecord upload = inProgress.get();
        if (condition.any()) {
            condition.checkBefore(bucket, key, metadata.object(bucket, key));
        }
        if (requested.isEmpty()) {
            throw new StorageException(
                    ErrorCode.MalformedXML,
                    "The XML you provided was not well-formed or did not validate "
                            + "against our published schema: CompleteMultipartUpload lists no Part");
        }
        PartAssembly.Assembled assembled =
                assembly.assemble(upload, assembly.check(upload, requested), fullObjectChecksums);
        ObjectRecord record = new ObjectRecord(
                bucket,
                key,
                assembled.blobId(),
                assembled.size(),
                assembled.etag(),
                upload.contentType(),
                now(),
                new LinkedHashMap<>(upload.userMetadata()),
                new LinkedHashMap<>(upload.headers()),
                assembled.checksums(),
                upload.tags(),
                null,
                upload.grants());
        MultipartLayout layout = assembled.layout();
        queue.awaitRoom();
        ObjectRecord committed;
        try {
            committed = metadata.write(tx -> {
                BucketRecord b = tx.bucket(bucket).orElseThrow(() -> NotFound.bucket(bucket));
                if (tx.upload(uploadId).isEmpty()) {
                    // completed meanwhile by a retry of this request: its object; or aborted
                    return tx.completedUpload(bucket, key, uploadId).orElseThrow(() -> noSuchUpload(uploadId));
                }
                Map<Integer, PartRecord> now = new LinkedHashMap<>();
                tx.parts(uploadId).forEach(p -> now.put(p.partNumber(), p));
                for (PartRecord p : assembled.parts()) {
                    // a part uploaded again with the same bytes (a retry) while assembling changes nothing
                    PartRecord current = now.get(p.partNumber());
                    if (current == null || !current.etag().equals(p.etag()) || current.size() != p.size()) {
                        throw new StorageException(
                                        ErrorCode.InvalidPart,
                                        "part " + p.partNumber() + " was uploaded again with "
                                                + "other content while the upload was being completed; complete it again")
                                .with("UploadId", uploadId);
                    }
                }
                if (condition.any()) {
                    condition.checkCommitting(bucket, key, tx.object(bucket, key));
                }
                ObjectRecord version = b.versioning() == null
                        ? record
                        : record.withVersionId(VersionedWrites.versionIdFor(b.versioning()));
                Optional<ObjectRecord> replaced = VersionedWrites.putCurrent(tx, version, b.versioning());
                if (buckets.hasObjectLock(bucket)) {
                    ObjectLocks.onWrite(
                            tx, bucket, version, null, version.lastModified()); // the bucket's default retention
                }
                tx.putMultipartLayout(bucket, key, layout);
                DeleteBlobs.enqueue(tx, tx.deleteUpload(uploadId));
                tx.adjustBucketStats(
                        bucket,
                        replaced.isPresent() ? 0 : 1,
                        record.size() - replaced.map(ObjectRecord::size).orElse(0L));
                UploadCompleted.enqueue(tx, record, b.createdAt());
                if (assembled.underReplicated()) {
                    // as for a PUT: the nodes that missed the object get it when they return
                    RepairBlob.enqueueWaiting(tx, record);
                }
                return version;
            });
        } catch (RuntimeException e) {
            writer.deleteQuietly(assembled.blobId());
            throw e;
        }
        if (!committed.blobId().equals(assembled.blobId())) {
            writer.deleteQuietly(assembled.blobId()); // a concurrent retry completed it first
        }
        queue.wakeUp();
        return committed;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    static StorageException noSuchUpload(String uploadId) {
        return new StorageException(
                        ErrorCode.NoSuchUpload,
                        "The specified upload does not exist. The upload ID may be invalid, "
                                + "or the upload may have been aborted or completed.")
                .with("UploadId", uploadId);
    }
}
