package dev.mockstorage.internal.service;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.metadata.BucketSetting;
import dev.mockstorage.internal.metadata.CorsRule;
import dev.mockstorage.internal.metadata.MetadataStore;
import dev.mockstorage.internal.metadata.Tx;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A bucket's tag set and CORS configuration (its versioning status is {@link Buckets}'), and the reading and
 * writing of its other settings ({@link BucketSetting}s) for the flows that give them meaning.
 */
public final class BucketSettings {
    private final MetadataStore metadata;
    private final Buckets buckets;

    BucketSettings(MetadataStore metadata, Buckets buckets) {
        this.metadata = metadata;
        this.buckets = buckets;
    }

    /** The bucket's tag set; {@code NoSuchTagSet} when it has none, {@code NoSuchBucket} when absent. */
    public Map<String, String> bucketTags(String bucket) {
        return metadata.write(tx -> {
            if (tx.bucket(bucket).isEmpty()) {
                throw NotFound.bucket(bucket);
            }
            return tx.bucketTags(bucket)
                    .orElseThrow(() -> new StorageException(
                            ErrorCode.NoSuchTagSet,
                            "The TagSet does not exist: bucket " + bucket + " has no tags",
                            bucket));
        });
    }

    /** Replaces the bucket's tag set (empty: deletes it); {@code NoSuchBucket} when absent. */
    public void setBucketTags(String bucket, Map<String, String> tags) {
        Map<String, String> checked = tags.isEmpty() ? tags : Tags.validateBucket(tags);
        metadata.write(tx -> {
            if (tx.bucket(bucket).isEmpty()) {
                throw NotFound.bucket(bucket);
            }
            tx.setBucketTags(bucket, checked);
            return null;
        });
    }

    /** The bucket's setting; {@code missing} when it has none, {@code NoSuchBucket} when the bucket is absent. */
    <T> T require(String bucket, BucketSetting<T> setting, Supplier<StorageException> missing) {
        return metadata.bucketSetting(bucket, setting).orElseThrow(() -> {
            buckets.require(bucket);
            return missing.get();
        });
    }

    /**
     * Sets (null: removes) the bucket's setting in one transaction, after {@code check} has seen the transaction
     * (e.g. the bucket's other settings); {@code NoSuchBucket} when the bucket is absent.
     */
    <T> void put(String bucket, BucketSetting<T> setting, T value, Consumer<Tx> check) {
        metadata.write(tx -> {
            if (tx.bucket(bucket).isEmpty()) {
                throw NotFound.bucket(bucket);
            }
            check.accept(tx);
            tx.setBucketSetting(bucket, setting, value);
            return null;
        });
    }

    /** The bucket's CORS rules; {@code NoSuchCORSConfiguration} when it has none, {@code NoSuchBucket} when absent. */
    public List<CorsRule> bucketCors(String bucket) {
        return metadata.bucketCors(bucket).orElseThrow(() -> {
            buckets.require(bucket);
            return new StorageException(
                            ErrorCode.NoSuchCORSConfiguration,
                            "The CORS configuration does not exist: bucket " + bucket + " has none",
                            bucket)
                    .with("BucketName", bucket);
        });
    }

    /**
     * The bucket's CORS rules for answering a cross-origin request: empty when the bucket has no CORS
     * configuration or does not exist. One read, no error.
     */
    public Optional<List<CorsRule>> corsRules(String bucket) {
        return metadata.bucketCors(bucket);
    }

    /** Replaces the bucket's CORS configuration after {@link CorsRules#validate}; {@code NoSuchBucket} when absent. */
    public void setBucketCors(String bucket, List<CorsRule> rules) {
        List<CorsRule> checked = CorsRules.validate(rules);
        metadata.write(tx -> {
            if (tx.bucket(bucket).isEmpty()) {
                throw NotFound.bucket(bucket);
            }
            tx.setBucketCors(bucket, checked);
            return null;
        });
    }

    /** Removes the bucket's CORS configuration (none is fine); {@code NoSuchBucket} when absent. */
    public void deleteBucketCors(String bucket) {
        metadata.write(tx -> {
            if (tx.bucket(bucket).isEmpty()) {
                throw NotFound.bucket(bucket);
            }
            tx.setBucketCors(bucket, List.of());
            return null;
        });
    }
}
