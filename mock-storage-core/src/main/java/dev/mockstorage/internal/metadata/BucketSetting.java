package dev.mockstorage.internal.metadata;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.List;

/**
 * A setting a bucket may have, stored as one row of {@code bucket_settings} (gone with the bucket): its
 * name in the table and how its value is written there. Reading a setting a bucket does not have gives
 * nothing; writing null removes it.
 *
 * @param <T> the value's type
 */
public final class BucketSetting<T> {
    /** The bucket's ACL (PutBucketAcl, or {@code x-amz-acl}/{@code x-amz-grant-*} on CreateBucket); none: the owner's FULL_CONTROL. */
    public static final BucketSetting<List<Grant>> ACL = new BucketSetting<>("acl", new TypeReference<>() {});
    /** The bucket policy, exactly the bytes (UTF-8) it was put with. */
    public static final BucketSetting<String> POLICY = new BucketSetting<>("policy", null);

    public static final BucketSetting<PublicAccessBlock> PUBLIC_ACCESS_BLOCK =
            new BucketSetting<>("public-access-block", new TypeReference<>() {});
    /** The ownership controls' {@code ObjectOwnership}: BucketOwnerPreferred, ObjectWriter or BucketOwnerEnforced. */
    public static final BucketSetting<String> OBJECT_OWNERSHIP = new BucketSetting<>("object-ownership", null);

    private final String name;
    private final TypeReference<T> json;

    /** @param json how the value is written as JSON; null: the value is text, stored as it is */
    private BucketSetting(String name, TypeReference<T> json) {
        this.name = name;
        this.json = json;
    }

    /** The row's name in {@code bucket_settings}. */
    String name() {
        return name;
    }

    @SuppressWarnings("unchecked")
    String encode(T value) {
        return json == null ? (String) value : Columns.settingToJson(name, value);
    }

    @SuppressWarnings("unchecked")
    T decode(String stored) {
        return json == null ? (T) stored : Columns.settingFromJson(name, stored, json);
    }

    @Override
    public String toString() {
        return name;
    }
}
