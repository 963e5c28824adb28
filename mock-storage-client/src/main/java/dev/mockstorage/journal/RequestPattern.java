package dev.mockstorage.journal;

import dev.mockstorage.verification.NearestMiss;
import java.util.Objects;

/**
 * Which requests a verification or search counts: an operation name, bucket, key, method and status,
 * each optional ({@code null}: any). Immutable plain data, so it can cross the admin API.
 *
 * <pre>{@code
 * server.requests().verify(Times.exactly(1), RequestPattern.putObject("b", "k"));
 * server.requests().verify(Times.never(), RequestPattern.operation("DeleteObject").inBucket("b"));
 * }</pre>
 *
 * @param operation S3 operation name ({@code PutObject}), or null for any
 * @param bucket    bucket name, or null for any
 * @param key       object key, or null for any
 * @param method    HTTP method, or null for any
 * @param status    HTTP status, or 0 for any
 */
public record RequestPattern(String operation, String bucket, String key, String method, int status) {

    /** Every request. */
    public static RequestPattern anyRequest() {
        return new RequestPattern(null, null, null, null, 0);
    }

    /** Requests of one operation, e.g. {@code ListObjectsV2}. */
    public static RequestPattern operation(String operation) {
        return new RequestPattern(Objects.requireNonNull(operation, "operation"), null, null, null, 0);
    }

    /** {@code PutObject} of that bucket and key. */
    public static RequestPattern putObject(String bucket, String key) {
        return operation("PutObject").inBucket(bucket).withKey(key);
    }

    /** {@code GetObject} of that bucket and key. */
    public static RequestPattern getObject(String bucket, String key) {
        return operation("GetObject").inBucket(bucket).withKey(key);
    }

    /** {@code HeadObject} of that bucket and key. */
    public static RequestPattern headObject(String bucket, String key) {
        return operation("HeadObject").inBucket(bucket).withKey(key);
    }

    /** {@code DeleteObject} of that bucket and key. */
    public static RequestPattern deleteObject(String bucket, String key) {
        return operation("DeleteObject").inBucket(bucket).withKey(key);
    }

    /** {@code CopyObject} into that bucket and key. */
    public static RequestPattern copyObject(String bucket, String key) {
        return operation("CopyObject").inBucket(bucket).withKey(key);
    }

    /** {@code ListObjectsV2} of that bucket. */
    public static RequestPattern listObjectsV2(String bucket) {
        return operation("ListObjectsV2").inBucket(bucket);
    }

    /** {@code CreateBucket} of that bucket. */
    public static RequestPattern createBucket(String bucket) {
        return operation("CreateBucket").inBucket(bucket);
    }

    /** This pattern restricted to a bucket. */
    public RequestPattern inBucket(String bucket) {
        return new RequestPattern(operation, bucket, key, method, status);
    }

    /** This pattern restricted to a key. */
    public RequestPattern withKey(String key) {
        return new RequestPattern(operation, bucket, key, method, status);
    }

    /** This pattern restricted to an HTTP method. */
    public RequestPattern withMethod(String method) {
        return new RequestPattern(operation, bucket, key, method, status);
    }

    /** This pattern restricted to an answered HTTP status. */
    public RequestPattern withStatus(int status) {
        return new RequestPattern(operation, bucket, key, method, status);
    }

    /** True when the request has every property this pattern names. */
    public boolean matches(RecordedRequest r) {
        return (operation == null || operation.equals(r.operation()))
                && (bucket == null || bucket.equals(r.bucket()))
                && (key == null || key.equals(r.key()))
                && (method == null || method.equalsIgnoreCase(r.method()))
                && (status == 0 || status == r.status());
    }

    /** How the request differs from this pattern (for "closest request" in failure messages). */
    public NearestMiss.Difference difference(RecordedRequest r) {
        return new NearestMiss.Difference()
                .condition("operation", operation == null || operation.equals(r.operation()), r.operation())
                .condition("bucket", bucket == null || bucket.equals(r.bucket()), r.bucket())
                .condition("key", key == null || key.equals(r.key()), "\"" + r.key() + "\"")
                .condition("method", method == null || method.equalsIgnoreCase(r.method()), r.method())
                .condition("status", status == 0 || status == r.status(), Integer.toString(r.status()))
                .edits(key, r.key());
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(operation == null ? "any request" : operation);
        if (bucket != null || key != null) {
            sb.append(' ').append(bucket == null ? "*" : bucket);
            if (key != null) {
                sb.append('/').append(key);
            }
        }
        if (method != null) {
            sb.append(" method ").append(method);
        }
        if (status != 0) {
            sb.append(" status ").append(status);
        }
        return sb.toString();
    }
}
