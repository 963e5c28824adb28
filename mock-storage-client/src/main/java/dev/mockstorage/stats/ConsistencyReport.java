package dev.mockstorage.stats;

import java.time.Instant;
import java.util.List;

/**
 * What one consistency check found ({@code MockStorageServer.checkConsistency(repair)},
 * {@code POST /api/v1/consistency/check}): the metadata compared with every storage node that is up.
 * Plain data.
 *
 * @param startedAt      when the check started
 * @param durationMillis how long it took
 * @param repair         whether it repaired what it found
 * @param objects        objects (current versions) checked
 * @param blobFiles      blob files found on the nodes that are up
 * @param skippedNodes   nodes that were down and not checked, as {@code id: reason}
 * @param findings       every problem, in the order found
 */
public record ConsistencyReport(
        Instant startedAt,
        long durationMillis,
        boolean repair,
        long objects,
        long blobFiles,
        List<String> skippedNodes,
        List<Finding> findings) {

    /** What kind of problem a finding is. */
    public enum Kind {
        /** a node that is up has no copy of an object's blob; repair copies an intact replica there */
        MISSING_REPLICA,
        /** a node's copy has another size than the metadata says; repair replaces it with an intact replica */
        SIZE_MISMATCH,
        /** a node's copy has the right size but other content (MD5); repair replaces it with an intact replica */
        CHECKSUM_MISMATCH,
        /** a blob file no object or task refers to, older than {@code storage.orphan_grace_ms}; repair deletes it */
        ORPHAN,
        /** an object with no intact replica on any node; repair marks it damaged (GET/HEAD answer 500 InternalError) */
        NO_INTACT_REPLICA,
        /**
         * a multipart upload initiated longer ago than {@code storage.abandoned_upload_ms}; repair aborts it
         * (the finding's {@code blobId} is the upload id; its part files go when the queue runs)
         */
        ABANDONED_UPLOAD
    }

    /**
     * One problem.
     *
     * @param kind   what is wrong
     * @param bucket the object's bucket, or null for an orphan
     * @param key    the object's key, or null for an orphan
     * @param blobId the blob file's id (for an abandoned upload: the upload id)
     * @param nodeId the node concerned, or null when the finding is about every node (no intact replica)
     * @param detail what was found, in words
     * @param action what the repair did ({@code copied from an intact replica}, {@code deleted},
     *               {@code marked damaged}, {@code already marked damaged}, {@code failed: ...}), or null
     *               when the check did not repair
     */
    public record Finding(
            Kind kind, String bucket, String key, String blobId, String nodeId, String detail, String action) {}

    /** True when nothing was found. */
    public boolean clean() {
        return findings.isEmpty();
    }

    /** The findings of one kind. */
    public List<Finding> findings(Kind kind) {
        return findings.stream().filter(f -> f.kind() == kind).toList();
    }

    /** Findings the repair fixed (copied, deleted or newly marked damaged; not those that failed or were marked before). */
    public long repaired() {
        return findings.stream()
                .filter(f -> f.action() != null
                        && !f.action().startsWith("failed")
                        && !f.action().startsWith("already"))
                .count();
    }
}
