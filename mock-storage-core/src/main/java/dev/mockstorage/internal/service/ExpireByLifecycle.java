package dev.mockstorage.internal.service;

import dev.mockstorage.internal.metadata.BucketRecord;
import dev.mockstorage.internal.metadata.LifecycleRule;
import dev.mockstorage.internal.metadata.MetadataStore;
import dev.mockstorage.internal.metadata.ObjectRecord;
import dev.mockstorage.internal.metadata.ObjectVersion;
import dev.mockstorage.internal.metadata.Tx;
import dev.mockstorage.internal.metadata.UploadRecord;
import dev.mockstorage.internal.queue.TaskHandlers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Task: apply a bucket's lifecycle rules as of a time on the server's clock: current versions past their
 * expiration go (a delete marker in a bucket with versioning configured, as S3 does), noncurrent versions past
 * their NoncurrentDays go for good, a delete marker left as a key's only version goes when a rule asks for it,
 * and unfinished multipart uploads past DaysAfterInitiation are aborted. Queued for every bucket with rules
 * when the clock is moved, periodically, and when a bucket's rules are put. The bucket is read in pages; each
 * page's expiries are one metadata transaction that checks each candidate again (a version written or deleted
 * meanwhile, or under an object lock, is left alone), so running the task twice changes nothing more. Payload
 * {@code <as of, epoch ms> <bucket>}.
 */
record ExpireByLifecycle(Instant asOf, String bucket) implements Task {
    static final String KIND = "lifecycle-expiry";
    private static final int PAGE = 500;

    /** Queues the sweep of {@code bucket} as of {@code asOf} in {@code tx}. */
    static void enqueue(Tx tx, String bucket, Instant asOf) {
        tx.enqueueTask(KIND, encode(asOf, bucket));
    }

    private static String encode(Instant asOf, String bucket) {
        return asOf.toEpochMilli() + " " + bucket;
    }

    static ExpireByLifecycle decode(String payload) {
        PayloadFields f = new PayloadFields(KIND, payload, 2);
        return new ExpireByLifecycle(Instant.ofEpochMilli(f.number(0)), f.text(1));
    }

    static void register(TaskHandlers handlers, MetadataStore metadata) {
        handlers.run(KIND, payload -> decode(payload).run(metadata));
    }

    private void run(MetadataStore metadata) {
        Optional<List<LifecycleRule>> configured = metadata.bucketLifecycle(bucket);
        Optional<BucketRecord> b = metadata.bucket(bucket);
        if (configured.isEmpty() || b.isEmpty()) {
            return;
        }
        List<LifecycleRule> rules =
                configured.get().stream().filter(LifecycleRule::enabled).toList();
        if (rules.stream().anyMatch(r -> r.expirationDays() != null || r.expirationDate() != null)) {
            expireCurrent(metadata, rules);
        }
        if (b.get().versioning() != null && rules.stream().anyMatch(r -> r.noncurrentDays() != null)) {
            expireNoncurrent(metadata, rules);
        }
        if (b.get().versioning() != null
                && rules.stream().anyMatch(r -> Boolean.TRUE.equals(r.expiredObjectDeleteMarker()))) {
            removeLoneDeleteMarkers(metadata, rules);
        }
        if (rules.stream().anyMatch(r -> r.abortDays() != null)) {
            abortUploads(metadata, rules);
        }
    }

    // ---------------------------------------------------------------- current versions

    private void expireCurrent(MetadataStore metadata, List<LifecycleRule> rules) {
        String after = null;
        while (true) {
            List<ObjectRecord> page = metadata.listObjects(bucket, "", after, PAGE);
            if (page.isEmpty()) {
                return;
            }
            List<ObjectRecord> due = new ArrayList<>();
            for (ObjectRecord o : page) {
                if (currentIsDue(rules, o)) {
                    due.add(o);
                }
            }
            if (!due.isEmpty()) {
                metadata.write(tx -> {
                    Optional<BucketRecord> b = tx.bucket(bucket);
                    List<String> blobIds = new ArrayList<>(); // one delete-blobs task for the page's files
                    long bytes = 0;
                    for (ObjectRecord o : due) {
                        Optional<ObjectRecord> now = b.isEmpty() ? Optional.empty() : tx.object(bucket, o.key());
                        if (now.isEmpty() || !now.get().blobId().equals(o.blobId())) {
                            continue;
                        }
                        if (b.get().versioning() != null) {
                            VersionedWrites.deleteLatest(tx, b.get(), o.key(), asOf);
                        } else {
                            tx.deleteObject(bucket, o.key());
                            blobIds.add(o.blobId());
                            bytes += o.size();
                        }
                    }
                    if (!blobIds.isEmpty()) {
                        DeleteBlobs.enqueue(tx, blobIds);
                        tx.adjustBucketStats(bucket, -blobIds.size(), -bytes);
                    }
                    return null;
                });
            }
            if (page.size() < PAGE) {
                return;
            }
            after = page.get(page.size() - 1).key();
        }
    }

    private boolean currentIsDue(List<LifecycleRule> rules, ObjectRecord o) {
        for (LifecycleRule r : rules) {
            if (LifecycleRules.selects(r, o.key(), o.size(), o.tags())) {
                Instant expiry = LifecycleRules.currentExpiry(r, o.lastModified());
                if (expiry != null && !expiry.isAfter(asOf)) {
                    return true;
                }
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- noncurrent versions

    private void expireNoncurrent(MetadataStore metadata, List<LifecycleRule> rules) {
        String afterKey = null;
        String afterVersion = null;
        String key = null;
        Instant newer =
                null; // when the version above this one in the key's order was written: this one became noncurrent then
        int rank = 0; // noncurrent versions of the key above this one
        while (true) {
            List<ObjectVersion> page = metadata.listVersions(bucket, "", afterKey, afterVersion, PAGE);
            if (page.isEmpty()) {
                return;
            }
            List<ObjectVersion> due = new ArrayList<>();
            for (ObjectVersion v : page) {
                if (!v.key().equals(key)) {
                    key = v.key();
                    newer = null;
                    rank = 0;
                }
                if (!v.latest() && newer != null && noncurrentIsDue(rules, v, newer, rank)) {
                    due.add(v);
                }
                if (!v.latest()) {
                    rank++;
                }
                newer = v.lastModified();
            }
            if (!due.isEmpty()) {
                metadata.write(tx -> {
                    for (ObjectVersion v : due) {
                        Optional<ObjectRecord> current = tx.object(bucket, v.key());
                        if (current.isPresent() && current.get().s3VersionId().equals(v.versionId())) {
                            continue; // current again
                        }
                        if (!ObjectLocks.protects(tx, bucket, v.key(), v.versionId(), asOf)) { // a locked version stays
                            VersionedWrites.deleteVersion(tx, bucket, v.key(), v.versionId());
                            tx.setObjectLock(bucket, v.key(), v.versionId(), null);
                        }
                    }
                    return null;
                });
            }
            if (page.size() < PAGE) {
                return;
            }
            afterKey = page.get(page.size() - 1).key();
            afterVersion = page.get(page.size() - 1).versionId();
        }
    }

    private boolean noncurrentIsDue(List<LifecycleRule> rules, ObjectVersion v, Instant noncurrentSince, int rank) {
        long size = v.object() == null ? 0 : v.object().size();
        Map<String, String> tags = v.object() == null ? Map.of() : v.object().tags();
        for (LifecycleRule r : rules) {
            if (r.noncurrentDays() != null
                    && LifecycleRules.selects(r, v.key(), size, tags)
                    && (r.newerNoncurrentVersions() == null || rank >= r.newerNoncurrentVersions())
                    && !LifecycleRules.daysAfter(noncurrentSince, r.noncurrentDays())
                            .isAfter(asOf)) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- delete markers left alone

    private void removeLoneDeleteMarkers(MetadataStore metadata, List<LifecycleRule> rules) {
        String afterKey = null;
        String afterVersion = null;
        ObjectVersion pending = null; // a latest marker whose key had no further version so far
        while (true) {
            List<ObjectVersion> page = metadata.listVersions(bucket, "", afterKey, afterVersion, PAGE);
            List<ObjectVersion> due = new ArrayList<>();
            for (ObjectVersion v : page) {
                if (pending != null && !pending.key().equals(v.key())) {
                    due.add(pending);
                }
                if (pending != null && pending.key().equals(v.key())) {
                    pending = null; // the marker has versions under it
                    continue;
                }
                pending = v.latest() && v.deleteMarker() && markerRule(rules, v.key()) ? v : null;
            }
            boolean last = page.size() < PAGE;
            if (last && pending != null) {
                due.add(pending);
            }
            if (!due.isEmpty()) {
                metadata.write(tx -> {
                    for (ObjectVersion m : due) {
                        Optional<ObjectVersion> latest = tx.latestVersion(bucket, m.key());
                        if (latest.isPresent()
                                && latest.get().deleteMarker()
                                && latest.get().versionId().equals(m.versionId())
                                && tx.noncurrentVersionCount(bucket, m.key()) == 1) {
                            VersionedWrites.deleteVersion(tx, bucket, m.key(), m.versionId());
                        }
                    }
                    return null;
                });
            }
            if (last) {
                return;
            }
            afterKey = page.get(page.size() - 1).key();
            afterVersion = page.get(page.size() - 1).versionId();
        }
    }

    private static boolean markerRule(List<LifecycleRule> rules, String key) {
        for (LifecycleRule r : rules) {
            if (Boolean.TRUE.equals(r.expiredObjectDeleteMarker()) && LifecycleRules.selectsKey(r, key)) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- unfinished multipart uploads

    private void abortUploads(MetadataStore metadata, List<LifecycleRule> rules) {
        String afterKey = null;
        String afterUpload = null;
        while (true) {
            List<UploadRecord> page = metadata.uploads(bucket, "", afterKey, afterUpload, PAGE);
            if (page.isEmpty()) {
                return;
            }
            List<String> due = new ArrayList<>();
            for (UploadRecord u : page) {
                for (LifecycleRule r : rules) {
                    if (r.abortDays() != null
                            && LifecycleRules.selectsKey(r, u.key())
                            && !LifecycleRules.daysAfter(u.initiated(), r.abortDays())
                                    .isAfter(asOf)) {
                        due.add(u.uploadId());
                        break;
                    }
                }
            }
            if (!due.isEmpty()) {
                metadata.write(tx -> {
                    for (String uploadId : due) {
                        DeleteBlobs.enqueue(tx, tx.deleteUpload(uploadId));
                    }
                    return null;
                });
            }
            if (page.size() < PAGE) {
                return;
            }
            afterKey = page.get(page.size() - 1).key();
            afterUpload = page.get(page.size() - 1).uploadId();
        }
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String payload() {
        return encode(asOf, bucket);
    }
}
