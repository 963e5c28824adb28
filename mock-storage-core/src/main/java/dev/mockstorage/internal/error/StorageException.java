package dev.mockstorage.internal.error;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one exception for every error a client can cause or see. Services and decoders throw it;
 * only the API edges ({@code s3}, {@code admin}) turn it into a response, in one place each.
 */
public class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String resource;
    private final Map<String, String> details;
    /** Response headers S3 sends with this error (e.g. {@code x-amz-delete-marker}); lazily created. */
    private Map<String, String> headers;
    /** The HTTP status when S3 answers this code with another than its usual one; 0: the code's. */
    private int status;

    public StorageException(ErrorCode code, String message) {
        this(code, message, null, null);
    }

    public StorageException(ErrorCode code, String message, String resource) {
        this(code, message, resource, null);
    }

    public StorageException(ErrorCode code, String message, String resource, Throwable cause) {
        super(message == null ? code.defaultMessage() : message, cause);
        this.code = code;
        this.resource = resource;
        this.details = new LinkedHashMap<>();
    }

    public ErrorCode code() {
        return code;
    }

    /** The HTTP status to answer: the code's, unless {@link #withStatus} set another. */
    public int status() {
        return status != 0 ? status : code.status();
    }

    /**
     * Answers with {@code httpStatus} instead of the code's usual status, where S3 does (e.g. 403 for an
     * {@code X-Amz-Expires} out of range, 400 for most other {@code AuthorizationQueryParametersError}s).
     */
    public StorageException withStatus(int httpStatus) {
        this.status = httpStatus;
        return this;
    }

    /** The bucket or {@code bucket/key} the error is about, or null. */
    public String resource() {
        return resource;
    }

    /** Extra elements S3 puts in the error body (for example {@code BucketName}, {@code Key}). */
    public Map<String, String> details() {
        return Collections.unmodifiableMap(details);
    }

    /** Adds an extra element to the error body; returns this for chaining. */
    public StorageException with(String name, String value) {
        if (value != null) {
            details.put(name, value);
        }
        return this;
    }

    /** Response headers to send with the error (e.g. {@code x-amz-delete-marker: true}), in order; empty when none. */
    public Map<String, String> headers() {
        return headers == null ? Map.of() : Collections.unmodifiableMap(headers);
    }

    /** Adds a response header to send with the error; returns this for chaining. */
    public StorageException withHeader(String name, String value) {
        if (value != null) {
            if (headers == null) {
                headers = new LinkedHashMap<>();
            }
            headers.put(name, value);
        }
        return this;
    }
}
