package dev.mockstorage.internal.service;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * S3's tag rules: at most 10 tags per object (50 per bucket), keys 1 to 128 characters, values at most
 * 256, keys unique. A violation is {@code InvalidTag} (400) naming the tag.
 */
public final class Tags {
    /** Most tags of one object. */
    public static final int MAX_OBJECT_TAGS = 10;
    /** Most tags of one bucket. */
    public static final int MAX_BUCKET_TAGS = 50;
    /** Longest key, in characters. */
    public static final int MAX_KEY_LENGTH = 128;
    /** Longest value, in characters. */
    public static final int MAX_VALUE_LENGTH = 256;

    private Tags() {}

    /** Checks a list of (key, value) pairs as sent, for an object; returns them as an ordered map. */
    public static Map<String, String> fromPairs(List<String[]> pairs, boolean bucket) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String[] p : pairs) {
            if (tags.put(p[0], p[1]) != null) {
                throw new StorageException(
                        ErrorCode.InvalidTag, "Cannot provide multiple Tags with the same key: '" + p[0] + "'");
            }
        }
        return bucket ? validateBucket(tags) : validate(tags);
    }

    /** Checks an object's tags; returns them unmodifiable. */
    public static Map<String, String> validate(Map<String, String> tags) {
        return check(tags, MAX_OBJECT_TAGS, "Object tags cannot be greater than " + MAX_OBJECT_TAGS);
    }

    /** Checks a bucket's tag set; returns it unmodifiable. */
    public static Map<String, String> validateBucket(Map<String, String> tags) {
        return check(tags, MAX_BUCKET_TAGS, "Bucket tag count cannot be greater than " + MAX_BUCKET_TAGS);
    }

    private static Map<String, String> check(Map<String, String> tags, int max, String tooMany) {
        if (tags.size() > max) {
            throw new StorageException(ErrorCode.InvalidTag, tooMany + " (got " + tags.size() + ")");
        }
        for (Map.Entry<String, String> t : tags.entrySet()) {
            String key = t.getKey();
            String value = t.getValue() == null ? "" : t.getValue();
            if (key == null || key.isEmpty()) {
                throw new StorageException(
                        ErrorCode.InvalidTag, "The TagKey you have provided is invalid: it is empty");
            }
            if (key.codePointCount(0, key.length()) > MAX_KEY_LENGTH) {
                throw new StorageException(
                        ErrorCode.InvalidTag,
                        "The TagKey you have provided is too long, max " + MAX_KEY_LENGTH + " characters: '" + key
                                + "'");
            }
            if (value.codePointCount(0, value.length()) > MAX_VALUE_LENGTH) {
                throw new StorageException(
                        ErrorCode.InvalidTag,
                        "The TagValue you have provided is too long, max " + MAX_VALUE_LENGTH
                                + " characters, for the key '" + key + "'");
            }
            if (key.startsWith("aws:")) {
                throw new StorageException(
                        ErrorCode.InvalidTag, "Your TagKey cannot be prefixed with aws: '" + key + "'");
            }
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }
}
