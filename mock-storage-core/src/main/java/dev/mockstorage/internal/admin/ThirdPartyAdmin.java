package dev.mockstorage.internal.admin;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.http.HttpRequest;
import dev.mockstorage.internal.http.HttpResponse;
import dev.mockstorage.internal.http.PercentCodec;
import dev.mockstorage.thirdparty.Match;
import dev.mockstorage.thirdparty.ThirdParty;
import dev.mockstorage.thirdparty.ThirdPartyJson;
import dev.mockstorage.thirdparty.ThirdPartyScript;
import dev.mockstorage.verification.Times;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/third-party/**}: the {@link ThirdParty} handle over HTTP, in the JSON of
 * {@link ThirdPartyJson}. Route table:
 * <pre>
 * GET    /api/v1/third-party/scripts   the scripts, oldest first
 * POST   /api/v1/third-party/scripts   add one script or an array (201, the scripts as stored, ids assigned)
 * DELETE /api/v1/third-party/scripts   remove every script and every recorded call (204)
 * DELETE /api/v1/third-party/scripts/{id}  remove one script (204; 404 NoSuchScript naming the ids set)
 * GET    /api/v1/third-party/calls     recorded calls, oldest first; ?unmatched=true for unscripted ones only
 * DELETE /api/v1/third-party/calls     forget the recorded calls (204)
 * POST   /api/v1/third-party/verify    {"times": N, "match": {...}}: 200 {"verified": true} or 409
 *                                      {"error": "VerificationFailed", "message": ...} with the closest calls
 * </pre>
 * Errors are thrown as {@link StorageException} and rendered by {@link AdminApi}.
 */
final class ThirdPartyAdmin {
    static final String PREFIX = "/api/v1/third-party/";
    private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

    private final ThirdParty thirdParty;

    ThirdPartyAdmin(ThirdParty thirdParty) {
        this.thirdParty = thirdParty;
    }

    static boolean owns(HttpRequest request) {
        return request.rawPath().startsWith(PREFIX);
    }

    HttpResponse handle(HttpRequest request) {
        String route = request.rawPath().substring(PREFIX.length());
        switch (route) {
            case "scripts" -> {
                AdminApi.requireMethod(request, "GET", "POST", "DELETE");
                return switch (request.method()) {
                    case "GET" -> json(200, ThirdPartyJson.writeScripts(thirdParty.scripts()));
                    case "POST" -> json(201, ThirdPartyJson.writeScripts(add(body(request))));
                    default -> {
                        thirdParty.reset();
                        yield HttpResponse.status(204);
                    }
                };
            }
            case "calls" -> {
                AdminApi.requireMethod(request, "GET", "DELETE");
                if (request.method().equals("DELETE")) {
                    thirdParty.resetCalls();
                    return HttpResponse.status(204);
                }
                boolean unmatched = "true".equals(request.queryParameter("unmatched"));
                return json(200, ThirdPartyJson.writeCalls(unmatched ? thirdParty.unmatchedCalls() : thirdParty.calls()));
            }
            case "verify" -> {
                AdminApi.requireMethod(request, "POST");
                Map.Entry<Times, Match> v = parse(() -> ThirdPartyJson.parseVerification(body(request)));
                try {
                    thirdParty.verify(v.getKey(), v.getValue());
                } catch (AssertionError e) {
                    return json(409, "{\n  \"error\" : \"VerificationFailed\",\n  \"message\" : "
                            + quote(e.getMessage()) + "\n}");
                }
                return json(200, ThirdPartyJson.writeVerified(v.getKey()));
            }
            default -> {
                if (route.startsWith("scripts/") && route.length() > "scripts/".length()) {
                    AdminApi.requireMethod(request, "DELETE");
                    try {
                        thirdParty.remove(PercentCodec.decode(route.substring("scripts/".length())));
                    } catch (IllegalArgumentException e) {
                        throw new StorageException(ErrorCode.NoSuchScript, e.getMessage());
                    }
                    return HttpResponse.status(204);
                }
                throw new StorageException(ErrorCode.NotFound, "no admin endpoint " + request.method() + " "
                    + request.rawPath() + " (available under " + PREFIX + ": scripts, scripts/{id}, calls, verify)");
            }
        }
    }

    private List<ThirdPartyScript> add(String body) {
        List<ThirdPartyScript> scripts = parse(() -> ThirdPartyJson.parseScripts(body, null));
        try {
            return thirdParty.script(scripts.toArray(new ThirdPartyScript[0]));
        } catch (IllegalArgumentException e) {
            throw new StorageException(ErrorCode.InvalidArgument, e.getMessage());
        } catch (IllegalStateException e) {
            throw new StorageException(ErrorCode.InvalidRequest, e.getMessage());
        }
    }

    private static <T> T parse(java.util.function.Supplier<T> parser) {
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
                throw new StorageException(ErrorCode.EntityTooLarge, "the request body is larger than " + MAX_BODY_BYTES + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StorageException(ErrorCode.IncompleteBody, "the request body could not be read: " + e.getMessage(), null, e);
        }
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static HttpResponse json(int status, String body) {
        return HttpResponse.status(status).header("Content-Type", "application/json").header("Cache-Control", "no-store")
                .body(body.getBytes(StandardCharsets.UTF_8));
    }
}
