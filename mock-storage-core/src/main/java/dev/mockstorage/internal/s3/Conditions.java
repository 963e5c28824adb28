package dev.mockstorage.internal.s3;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.http.HttpRequest;
import dev.mockstorage.internal.metadata.ObjectRecord;
import dev.mockstorage.internal.service.WriteCondition;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** HTTP conditional requests as S3 evaluates them (RFC 9110 section 13.2.2 order). */
final class Conditions {
    enum Outcome {
        PROCEED,
        NOT_MODIFIED
    }

    private Conditions() {}

    /**
     * Evaluates If-Match / If-Unmodified-Since (412) and then If-None-Match / If-Modified-Since (304).
     * For the x-amz-copy-source-* variants every failure is a 412, as on S3.
     */
    static Outcome evaluate(
            ObjectRecord object,
            String ifMatch,
            String ifUnmodifiedSince,
            String ifNoneMatch,
            String ifModifiedSince,
            boolean copySource) {
        Instant modified = object.lastModified().truncatedTo(ChronoUnit.SECONDS);
        if (ifMatch != null) {
            if (!etagMatches(ifMatch, object.etag())) {
                throw failed("If-Match", ifMatch, object);
            }
        } else {
            Instant t = HttpDates.parse(ifUnmodifiedSince);
            if (t != null && modified.isAfter(t)) {
                throw failed("If-Unmodified-Since", ifUnmodifiedSince, object);
            }
        }
        if (ifNoneMatch != null) {
            if (etagMatches(ifNoneMatch, object.etag())) {
                if (copySource) {
                    throw failed("If-None-Match", ifNoneMatch, object);
                }
                return Outcome.NOT_MODIFIED;
            }
        } else {
            Instant t = HttpDates.parse(ifModifiedSince);
            if (t != null && !modified.isAfter(t)) {
                if (copySource) {
                    throw failed("If-Modified-Since", ifModifiedSince, object);
                }
                return Outcome.NOT_MODIFIED;
            }
        }
        return Outcome.PROCEED;
    }

    /**
     * The condition of a write ({@code If-None-Match: *}, {@code If-Match: "etag"}) on the key it writes. S3 takes
     * no other {@code If-None-Match} on a write: anything but {@code *} is {@code 501 NotImplemented}.
     */
    static WriteCondition write(HttpRequest http) {
        String ifNoneMatch = http.header("if-none-match");
        String ifMatch = http.header("if-match");
        if (ifNoneMatch == null && ifMatch == null) {
            return WriteCondition.NONE;
        }
        if (ifNoneMatch != null && !ifNoneMatch.trim().equals("*")) {
            throw new StorageException(
                            ErrorCode.NotImplemented,
                            "A header you provided implies functionality that is not "
                                    + "implemented: a write takes If-None-Match: * only, not " + ifNoneMatch)
                    .with("Header", "If-None-Match");
        }
        String etag = null;
        if (ifMatch != null) {
            etag = ifMatch.trim();
            if (etag.startsWith("W/")) {
                etag = etag.substring(2);
            }
            etag = unquote(etag);
        }
        return new WriteCondition(ifNoneMatch != null, etag);
    }

    static boolean etagMatches(String condition, String etag) {
        for (String candidate : condition.split(",")) {
            String c = candidate.trim();
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (c.equals("*") || unquote(c).equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    private static StorageException failed(String header, String value, ObjectRecord object) {
        return new StorageException(
                        ErrorCode.PreconditionFailed,
                        "At least one of the pre-conditions you specified did not hold: "
                                + header + ": " + value + " (the object's ETag is \"" + object.etag()
                                + "\", last modified "
                                + HttpDates.header(object.lastModified()) + ")")
                .with("Condition", header);
    }
}
