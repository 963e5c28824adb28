package dev.mockstorage.internal.service;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.metadata.BucketSetting;
import dev.mockstorage.internal.metadata.Grant;
import dev.mockstorage.internal.metadata.MetadataStore;
import dev.mockstorage.internal.metadata.PublicAccessBlock;
import dev.mockstorage.internal.metadata.Tx;
import java.util.List;
import java.util.Optional;

/**
 * Who may access a bucket and its objects, as S3 stores it: the ACLs of buckets and object versions, the
 * bucket policy, the public access block and the ownership controls. All of it is stored (in the transaction
 * of the write that sets it) and answered exactly; none of it is enforced on requests. What S3 refuses to
 * store is refused: an ACL that grants others on a bucket whose ownership is {@code BucketOwnerEnforced}
 * ({@code AccessControlListNotSupported}), a public ACL or policy where the public access block blocks it
 * ({@code AccessDenied}).
 */
public final class AccessControls {
    private final MetadataStore metadata;
    private final Buckets buckets;
    private final BucketSettings settings;

    AccessControls(MetadataStore metadata, Buckets buckets, BucketSettings settings) {
        this.metadata = metadata;
        this.buckets = buckets;
        this.settings = settings;
    }

    // ---------------------------------------------------------------- ACLs

    /** The bucket's grants; null when none were set (the owner's FULL_CONTROL); {@code NoSuchBucket} when absent. */
    public List<Grant> bucketAcl(String bucket) {
        return metadata.bucketSetting(bucket, BucketSetting.ACL).orElseGet(() -> {
            buckets.require(bucket);
            return null;
        });
    }

    /** PutBucketAcl: replaces the bucket's grants; {@code NoSuchBucket} when absent. */
    public void setBucketAcl(String bucket, List<Grant> grants) {
        List<Grant> checked = Acls.validate(grants);
        settings.put(bucket, BucketSetting.ACL, checked, tx -> checkAclWrite(tx, bucket, checked));
    }

    /**
     * PutObjectAcl: replaces the grants of one version ({@code versionId} null: the current one);
     * {@code NoSuchKey}/{@code NoSuchVersion} when there is none.
     */
    public void setObjectAcl(String bucket, String key, String versionId, List<Grant> grants) {
        List<Grant> checked = Acls.validate(grants);
        metadata.write(tx -> {
            if (tx.bucket(bucket).isEmpty()) {
                throw NotFound.bucket(bucket);
            }
            checkAclWrite(tx, bucket, checked);
            String id = versionId;
            if (id == null) {
                id = tx.object(bucket, key)
                        .orElseThrow(() -> NotFound.key(bucket, key))
                        .s3VersionId();
            }
            if (!tx.setObjectGrants(bucket, key, id, checked)) {
                throw NotFound.version(bucket, key, id);
            }
            return null;
        });
    }

    /** Before a write that stores {@code grants} (null: none asked for): refused where the bucket's settings refuse it. */
    void checkAclWrite(String bucket, List<Grant> grants) {
        if (grants != null) {
            checkAclWrite(
                    metadata.bucketSetting(bucket, BucketSetting.OBJECT_OWNERSHIP),
                    metadata.bucketSetting(bucket, BucketSetting.PUBLIC_ACCESS_BLOCK),
                    grants);
        }
    }

    /** {@link #checkAclWrite(String, List)} inside a transaction. */
    static void checkAclWrite(Tx tx, String bucket, List<Grant> grants) {
        checkAclWrite(
                tx.bucketSetting(bucket, BucketSetting.OBJECT_OWNERSHIP),
                tx.bucketSetting(bucket, BucketSetting.PUBLIC_ACCESS_BLOCK),
                grants);
    }

    private static void checkAclWrite(
            Optional<String> ownership, Optional<PublicAccessBlock> block, List<Grant> grants) {
        if (ownership.filter(Acls.BUCKET_OWNER_ENFORCED::equals).isPresent() && !Acls.ownerFullControlOnly(grants)) {
            throw new StorageException(
                    ErrorCode.AccessControlListNotSupported,
                    "The bucket does not allow ACLs: its object "
                            + "ownership is BucketOwnerEnforced, which takes no ACL but the owner's FULL_CONTROL (bucket-owner-full-control)");
        }
        if (block.filter(PublicAccessBlock::blockPublicAcls).isPresent() && Acls.isPublic(grants)) {
            throw new StorageException(
                    ErrorCode.AccessDenied,
                    "Access Denied: the bucket's public access block has "
                            + "BlockPublicAcls, and this ACL grants the AllUsers or AuthenticatedUsers group");
        }
    }

    // ---------------------------------------------------------------- policy

    /** The bucket policy as it was put; {@code NoSuchBucketPolicy} when none, {@code NoSuchBucket} when absent. */
    public String policy(String bucket) {
        return settings.require(bucket, BucketSetting.POLICY, () -> noPolicy(bucket));
    }

    /** PutBucketPolicy after {@link BucketPolicies#validate}; a public one is refused when the bucket blocks public policies. */
    public void setPolicy(String bucket, String policy) {
        BucketPolicies.validate(bucket, policy);
        boolean isPublic = BucketPolicies.isPublic(policy);
        settings.put(bucket, BucketSetting.POLICY, policy, tx -> {
            if (isPublic
                    && tx.bucketSetting(bucket, BucketSetting.PUBLIC_ACCESS_BLOCK)
                            .filter(PublicAccessBlock::blockPublicPolicy)
                            .isPresent()) {
                throw new StorageException(
                        ErrorCode.AccessDenied,
                        "Access Denied: the bucket's public access block has "
                                + "BlockPublicPolicy, and this policy grants a wildcard principal access");
            }
        });
    }

    public void deletePolicy(String bucket) {
        settings.put(bucket, BucketSetting.POLICY, null, tx -> {});
    }

    /** GetBucketPolicyStatus: whether the policy is public; {@code NoSuchBucketPolicy} without one. */
    public boolean policyIsPublic(String bucket) {
        return BucketPolicies.isPublic(policy(bucket));
    }

    private static StorageException noPolicy(String bucket) {
        return new StorageException(
                        ErrorCode.NoSuchBucketPolicy,
                        "The bucket policy does not exist: bucket " + bucket + " has none",
                        bucket)
                .with("BucketName", bucket);
    }

    // ---------------------------------------------------------------- public access block

    /** {@code NoSuchPublicAccessBlockConfiguration} when the bucket has none. */
    public PublicAccessBlock publicAccessBlock(String bucket) {
        return settings.require(
                bucket,
                BucketSetting.PUBLIC_ACCESS_BLOCK,
                () -> new StorageException(
                                ErrorCode.NoSuchPublicAccessBlockConfiguration,
                                "The public access block configuration was not found: bucket " + bucket + " has none",
                                bucket)
                        .with("BucketName", bucket));
    }

    /** PutPublicAccessBlock: replaces the configuration; ACLs and policies already there stay. */
    public void setPublicAccessBlock(String bucket, PublicAccessBlock block) {
        settings.put(bucket, BucketSetting.PUBLIC_ACCESS_BLOCK, block, tx -> {});
    }

    public void deletePublicAccessBlock(String bucket) {
        settings.put(bucket, BucketSetting.PUBLIC_ACCESS_BLOCK, null, tx -> {});
    }

    // ---------------------------------------------------------------- ownership controls

    /** The {@code ObjectOwnership} of the bucket's ownership controls; {@code OwnershipControlsNotFoundError} without. */
    public String objectOwnership(String bucket) {
        return settings.require(
                bucket,
                BucketSetting.OBJECT_OWNERSHIP,
                () -> new StorageException(
                                ErrorCode.OwnershipControlsNotFoundError,
                                "The bucket ownership controls were not found: bucket " + bucket + " has none",
                                bucket)
                        .with("BucketName", bucket));
    }

    /**
     * PutBucketOwnershipControls. {@code BucketOwnerEnforced} disables ACLs: refused
     * ({@code InvalidBucketAclWithObjectOwnership}) while the bucket's own ACL grants anyone but the owner.
     */
    public void setObjectOwnership(String bucket, String ownership) {
        Acls.checkOwnership(ownership);
        settings.put(bucket, BucketSetting.OBJECT_OWNERSHIP, ownership, tx -> {
            if (Acls.BUCKET_OWNER_ENFORCED.equals(ownership)
                    && !tx.bucketSetting(bucket, BucketSetting.ACL)
                            .map(Acls::ownerFullControlOnly)
                            .orElse(true)) {
                throw new StorageException(
                        ErrorCode.InvalidBucketAclWithObjectOwnership,
                        "Bucket cannot have ACLs set with "
                                + "ObjectOwnership's BucketOwnerEnforced setting: its ACL grants more than the owner's FULL_CONTROL");
            }
        });
    }

    public void deleteObjectOwnership(String bucket) {
        settings.put(bucket, BucketSetting.OBJECT_OWNERSHIP, null, tx -> {});
    }
}
