package dev.mockstorage.internal.service;

import dev.mockstorage.internal.metadata.MetadataStore;
import dev.mockstorage.internal.metadata.ObjectRecord;
import dev.mockstorage.internal.thirdparty.ReadThroughPolicy;
import dev.mockstorage.internal.thirdparty.UpstreamObject;
import dev.mockstorage.stats.ServerStats;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ObjLongConsumer;

/**
 * DESIGN.md's download miss: a key that is absent in a bucket with a third-party source is fetched
 * from it and stored through the upload flow ({@link ObjectWrites#put}: every node, metadata, tasks)
 * before it is answered. Concurrent misses of one key share one fetch. What an upstream answer means
 * (and how often each outcome happened) is the {@link ReadThroughPolicy}'s.
 */
public final class ReadThrough {
    private final MetadataStore metadata;
    private final ObjectReads reads;
    private final ObjectWrites writes;
    private final ReadThroughPolicy policy;
    /** Read-throughs in progress by bucket + "/" + key: concurrent misses of one key wait for one fetch. */
    private final ConcurrentHashMap<String, CompletableFuture<ObjectRecord>> running = new ConcurrentHashMap<>();

    ReadThrough(MetadataStore metadata, ObjectReads reads, ObjectWrites writes, ReadThroughPolicy policy) {
        this.metadata = metadata;
        this.reads = reads;
        this.writes = writes;
        this.policy = policy;
    }

    /**
     * The current version of an object, fetched from the third party and stored first when the key is
     * absent and the bucket reads through. {@code NoSuchKey} or {@code NoSuchBucket} when absent (upstream
     * 404/410 included), {@code ServiceUnavailable} naming the upstream when its fetch failed.
     */
    public ObjectRecord headOrFetch(String bucket, String key) {
        Optional<ObjectRecord> found = reads.current(bucket, key);
        if (found.isPresent()) {
            return found.get();
        }
        if (policy.covers(bucket)) {
            return fetchOnce(bucket, key);
        }
        throw NotFound.key(bucket, key);
    }

    /** Third-party fetches so far by outcome. */
    public ServerStats.ThirdParty stats() {
        return policy.stats();
    }

    /** Told of every third-party fetch: its outcome ({@code hit}, {@code miss}, {@code error}) and duration in ns. */
    public void onFetch(ObjLongConsumer<String> listener) {
        policy.onFetch(listener);
    }

    /** Fetches and stores {@code bucket/key} unless a concurrent miss of it does already; then waits for that one. */
    private ObjectRecord fetchOnce(String bucket, String key) {
        String id = bucket + "/" + key;
        CompletableFuture<ObjectRecord> mine = new CompletableFuture<>();
        CompletableFuture<ObjectRecord> other = running.putIfAbsent(id, mine);
        if (other != null) {
            try {
                return other.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw e;
            }
        }
        try {
            ObjectRecord record = metadata.object(bucket, key).orElseGet(() -> fetchAndStore(bucket, key));
            mine.complete(record);
            return record;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            running.remove(id, mine);
        }
    }

    private ObjectRecord fetchAndStore(String bucket, String key) {
        WriteChecks.validateKey(key);
        return policy.fetch(bucket, key, upstream -> writes.put(write(bucket, key, upstream), upstream.body()));
    }

    /** The upstream's metadata as a write; its Content-Length is the declared length, so a short body stores nothing. */
    private static ObjectWrite write(String bucket, String key, UpstreamObject upstream) {
        return new ObjectWrite(
                bucket,
                key,
                upstream.contentType(),
                upstream.userMetadata(),
                upstream.headers(),
                upstream.contentMd5(),
                null,
                Map.of(),
                Set.of(),
                Map::of,
                upstream.declaredLength());
    }
}
