package dev.mockstorage.internal.admin;

import dev.mockstorage.internal.contract.AdminJson;
import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.http.HttpRequest;
import dev.mockstorage.internal.http.HttpResponse;
import dev.mockstorage.thirdparty.Match;
import dev.mockstorage.thirdparty.ThirdParty;
import dev.mockstorage.thirdparty.ThirdPartyJson;
import dev.mockstorage.thirdparty.ThirdPartyScript;
import dev.mockstorage.verification.Times;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /api/v1/third-party/**}: the {@link ThirdParty} handle over HTTP, in the JSON of
 * {@link ThirdPartyJson}. A verification that fails answers {@code 409 VerificationFailed} with the
 * message the in-process {@link ThirdParty#verify} throws.
 */
final class ThirdPartyRoutes {
    private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

    private final ThirdParty thirdParty;

    ThirdPartyRoutes(ThirdParty thirdParty) {
        this.thirdParty = thirdParty;
    }

    /** The scripts, oldest first. */
    HttpResponse scripts(HttpRequest request, Map<String, String> path) {
        return Replies.json(200, ThirdPartyJson.writeScripts(thirdParty.scripts()));
    }

    /** One script or an array: 201 with the scripts as stored (ids assigned). */
    HttpResponse addScripts(HttpRequest request, Map<String, String> path) {
        String body = body(request);
        List<ThirdPartyScript> scripts = parse(() -> ThirdPartyJson.parseScripts(body, null));
        List<ThirdPartyScript> stored;
        try {
            stored = thirdParty.script(scripts.toArray(new ThirdPartyScript[0]));
        } catch (IllegalArgumentException e) {
            throw new StorageException(ErrorCode.InvalidArgument, e.getMessage());
        } catch (IllegalStateException e) {
            throw new StorageException(ErrorCode.InvalidRequest, e.getMessage());
        }
        return Replies.json(201, ThirdPartyJson.writeScripts(stored));
    }

    /** Every script and every recorded call removed. */
    HttpResponse reset(HttpRequest request, Map<String, String> path) {
        thirdParty.reset();
        return Replies.noContent();
    }

    /** One script removed; 404 NoSuchScript naming the ids set. */
    HttpResponse removeScript(HttpRequest request, Map<String, String> path) {
        try {
            thirdParty.remove(path.get("id"));
        } catch (IllegalArgumentException e) {
            throw new StorageException(ErrorCode.NoSuchScript, e.getMessage());
        }
        return Replies.noContent();
    }

    /** Recorded calls, oldest first; {@code ?unmatched=true} for the unscripted ones only. */
    HttpResponse calls(HttpRequest request, Map<String, String> path) {
        boolean unmatched = "true".equals(request.queryParameter("unmatched"));
        return Replies.json(
                200, ThirdPartyJson.writeCalls(unmatched ? thirdParty.unmatchedCalls() : thirdParty.calls()));
    }

    HttpResponse resetCalls(HttpRequest request, Map<String, String> path) {
        thirdParty.resetCalls();
        return Replies.noContent();
    }

    /** {@code {"times": ..., "match": {...}}}: 200, or 409 VerificationFailed with the closest calls. */
    HttpResponse verify(HttpRequest request, Map<String, String> path) {
        String body = body(request);
        Map.Entry<Times, Match> v = parse(() -> ThirdPartyJson.parseVerification(body));
        try {
            thirdParty.verify(v.getKey(), v.getValue());
        } catch (AssertionError e) {
            return Replies.json(409, AdminJson.writeError("VerificationFailed", e.getMessage(), null));
        }
        return Replies.json(200, ThirdPartyJson.writeVerified(v.getKey()));
    }

    private static <T> T parse(Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new StorageException(ErrorCode.InvalidArgument, "the request body is not valid: " + e.getMessage());
        }
    }

    private static String body(HttpRequest request) {
        try {
            byte[] bytes = request.body().readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new StorageException(
                        ErrorCode.EntityTooLarge, "the request body is larger than " + MAX_BODY_BYTES + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StorageException(
                    ErrorCode.IncompleteBody, "the request body could not be read: " + e.getMessage(), null, e);
        }
    }
}
