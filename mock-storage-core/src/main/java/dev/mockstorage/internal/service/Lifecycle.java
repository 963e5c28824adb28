package dev.mockstorage.internal.service;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.metadata.LifecycleRule;
import dev.mockstorage.internal.metadata.MetadataStore;
import dev.mockstorage.internal.queue.TaskQueue;
import dev.mockstorage.internal.threads.SharedThreads;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * Buckets' lifecycle configurations, and when they are applied: an {@link ExpireByLifecycle} task per bucket
 * with rules is queued when a bucket's rules are put (in that transaction), when the server's clock is moved
 * ({@link Maintenance#advanceClock}), and every {@link #PERIOD} of real time while the server runs. A store
 * without rules pays one read of an empty table per trigger and queues nothing.
 */
public final class Lifecycle implements AutoCloseable {
    /** How often, in real time, the rules are applied without the clock being moved. */
    public static final Duration PERIOD = Duration.ofMinutes(1);

    private static final System.Logger LOG = System.getLogger(Lifecycle.class.getName());

    private final MetadataStore metadata;
    private final TaskQueue queue;
    private final Clock clock;
    private final Buckets buckets;
    private ScheduledFuture<?> periodic;

    Lifecycle(MetadataStore metadata, TaskQueue queue, Clock clock, Buckets buckets) {
        this.metadata = metadata;
        this.queue = queue;
        this.clock = clock;
        this.buckets = buckets;
    }

    /** The bucket's rules; {@code NoSuchLifecycleConfiguration} when it has none, {@code NoSuchBucket} when absent. */
    public List<LifecycleRule> configuration(String bucket) {
        return metadata.bucketLifecycle(bucket).orElseThrow(() -> {
            buckets.require(bucket);
            return new StorageException(
                            ErrorCode.NoSuchLifecycleConfiguration,
                            "The lifecycle configuration does not exist: bucket " + bucket + " has none",
                            bucket)
                    .with("BucketName", bucket);
        });
    }

    /**
     * Replaces the bucket's lifecycle configuration after {@link LifecycleRules#validate}, and queues its
     * application to what the bucket holds now; {@code NoSuchBucket} when absent.
     */
    public void setConfiguration(String bucket, List<LifecycleRule> rules) {
        List<LifecycleRule> checked = LifecycleRules.validate(rules);
        Instant now = clock.instant();
        metadata.write(tx -> {
            if (tx.bucket(bucket).isEmpty()) {
                throw NotFound.bucket(bucket);
            }
            tx.setBucketLifecycle(bucket, checked);
            ExpireByLifecycle.enqueue(tx, bucket, now);
            return null;
        });
        queue.wakeUp();
    }

    /** Removes the bucket's lifecycle configuration (none is fine); {@code NoSuchBucket} when absent. */
    public void deleteConfiguration(String bucket) {
        metadata.write(tx -> {
            if (tx.bucket(bucket).isEmpty()) {
                throw NotFound.bucket(bucket);
            }
            tx.setBucketLifecycle(bucket, List.of());
            return null;
        });
    }

    /**
     * Queues the application of every bucket's rules as of the server's time now; returns how many buckets
     * have rules (none: nothing written).
     */
    public int applyDueRules() {
        if (metadata.lifecycleBuckets().isEmpty()) {
            return 0;
        }
        Instant now = clock.instant();
        int queued = metadata.write(tx -> {
            List<String> names = tx.lifecycleBuckets();
            for (String bucket : names) {
                ExpireByLifecycle.enqueue(tx, bucket, now);
            }
            return names.size();
        });
        queue.wakeUp();
        return queued;
    }

    /** Applies the rules every {@code interval} of real time from now on (zero or negative: never). */
    public synchronized void startPeriodic(Duration interval) {
        if (periodic != null || interval.isZero() || interval.isNegative()) {
            return;
        }
        periodic = SharedThreads.every(interval, () -> {
            try {
                applyDueRules();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "could not queue the lifecycle rules' application", e);
            }
        });
    }

    @Override
    public synchronized void close() {
        if (periodic != null) {
            periodic.cancel(false);
            periodic = null;
        }
    }
}
