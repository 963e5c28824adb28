package dev.mockstorage.internal.thirdparty;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.stats.ServerStats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.ObjLongConsumer;

/**
 * What a read-through makes of the upstream's answers, and how they went. A 2xx answer is stored by
 * the caller (what its headers say to keep is {@link UpstreamObject}); upstream 404/410 is
 * {@code NoSuchKey}; any other status, a failed fetch or a broken body (short, or not matching its
 * Content-MD5) is {@code ServiceUnavailable} naming the upstream, with nothing stored. Every fetch is
 * counted by outcome and told to a listener (the metrics).
 */
public final class ReadThroughPolicy {
    /** How a fetch ended, with its label in metrics. */
    private enum Outcome {
        /** fetched and stored */
        HIT,
        /** 404 or 410 */
        MISS,
        /** anything else */
        ERROR;

        final String label = name().toLowerCase(Locale.ROOT);
    }

    private static final List<String> KEPT_HEADERS =
            List.of("Content-Disposition", "Content-Encoding", "Cache-Control", "Expires", "Content-Language");
    private static final String USER_METADATA_PREFIX = "x-amz-meta-";

    /** Where misses read through from, or null: nothing does. */
    private final ThirdPartySource source;

    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile ObjLongConsumer<String> listener = (outcome, nanos) -> {};

    /** @param source where misses read through from, or null when nothing does */
    public ReadThroughPolicy(ThirdPartySource source) {
        this.source = source;
    }

    /** Whether a miss in this bucket reads through now. */
    public boolean covers(String bucket) {
        return source != null && source.covers(bucket);
    }

    /**
     * Fetches {@code bucket/key} and hands a 2xx answer to {@code store}, whose result it returns.
     * A {@code StorageException} of {@code store} that says the body was broken becomes
     * {@code ServiceUnavailable} naming the upstream; the response is closed either way.
     */
    public <T> T fetch(String bucket, String key, Function<UpstreamObject, T> store) {
        long start = System.nanoTime();
        Outcome outcome = Outcome.ERROR;
        try {
            T stored = fetchOnce(bucket, key, store);
            outcome = Outcome.HIT;
            return stored;
        } catch (StorageException e) {
            if (e.code() == ErrorCode.NoSuchKey) {
                outcome = Outcome.MISS;
            }
            throw e;
        } finally {
            counter(outcome).incrementAndGet();
            listener.accept(outcome.label, System.nanoTime() - start);
        }
    }

    private <T> T fetchOnce(String bucket, String key, Function<UpstreamObject, T> store) {
        try (UpstreamResponse response = source.fetch(bucket, key)) {
            int status = response.status();
            if (status == 404 || status == 410) {
                throw new StorageException(
                                ErrorCode.NoSuchKey,
                                "The specified key does not exist (the third-party source " + response.url()
                                        + " answered " + status + ").",
                                bucket + "/" + key)
                        .with("Key", key);
            }
            if (status < 200 || status > 299) {
                throw new StorageException(
                        ErrorCode.ServiceUnavailable,
                        "third-party source " + response.url() + " answered " + status + " for " + bucket + "/" + key
                                + "; nothing was stored",
                        bucket + "/" + key);
            }
            try {
                return store.apply(toStore(response));
            } catch (StorageException e) {
                if (e.code() == ErrorCode.IncompleteBody
                        || e.code() == ErrorCode.BadDigest
                        || e.code() == ErrorCode.InvalidDigest) {
                    throw new StorageException(
                            ErrorCode.ServiceUnavailable,
                            "third-party source " + response.url() + " sent a broken body for " + bucket + "/" + key
                                    + ": " + e.getMessage() + "; nothing was stored",
                            bucket + "/" + key,
                            e);
                }
                throw e;
            }
        }
    }

    private static UpstreamObject toStore(UpstreamResponse response) {
        Map<String, String> userMetadata = new TreeMap<>();
        response.headers().forEach((name, values) -> {
            if (name.startsWith(USER_METADATA_PREFIX)
                    && name.length() > USER_METADATA_PREFIX.length()
                    && !values.isEmpty()) {
                userMetadata.put(name.substring(USER_METADATA_PREFIX.length()), values.get(0));
            }
        });
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h : KEPT_HEADERS) {
            String v = response.header(h);
            if (v != null) {
                headers.put(h, v);
            }
        }
        return new UpstreamObject(
                response.header("content-type"),
                userMetadata,
                headers,
                response.header("content-md5"),
                response.length(),
                response.body());
    }

    private AtomicLong counter(Outcome outcome) {
        return switch (outcome) {
            case HIT -> hits;
            case MISS -> misses;
            case ERROR -> errors;
        };
    }

    /** Fetches so far by outcome. */
    public ServerStats.ThirdParty stats() {
        return new ServerStats.ThirdParty(hits.get(), misses.get(), errors.get());
    }

    /** Told of every fetch: its outcome ({@code hit}, {@code miss}, {@code error}) and duration in ns. */
    public void onFetch(ObjLongConsumer<String> listener) {
        this.listener = listener;
    }
}
