package dev.mockstorage.internal.service;

import dev.mockstorage.internal.metadata.Grant;
import java.util.List;

/**
 * What a CreateBucket asks for beyond the name, stored in the transaction that creates the bucket.
 *
 * @param grants          the bucket's ACL ({@code x-amz-acl}, {@code x-amz-grant-*}); null when none was asked for
 * @param objectOwnership {@code x-amz-object-ownership} (BucketOwnerPreferred, ObjectWriter, BucketOwnerEnforced); null for none
 * @param objectLock      {@code x-amz-bucket-object-lock-enabled: true}: object lock on, and so versioning Enabled
 */
public record BucketCreation(List<Grant> grants, String objectOwnership, boolean objectLock) {
    /** A plain bucket. */
    public static final BucketCreation PLAIN = new BucketCreation(null, null, false);
}
