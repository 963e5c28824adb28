package dev.mockstorage.internal.auth;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Strict mode: checks that an S3 request is signed with AWS Signature Version 4 by a configured access
 * key, as S3 does. Accepted are the {@code Authorization: AWS4-HMAC-SHA256 ...} header and presigned
 * URLs ({@code X-Amz-Algorithm}, {@code X-Amz-Credential}, {@code X-Amz-Date}, {@code X-Amz-Expires},
 * {@code X-Amz-SignedHeaders}, {@code X-Amz-Signature}). The canonical request uses the path exactly as
 * received (S3 does not encode it twice), the sorted re-encoded query and the signed headers; the payload
 * hash is {@code x-amz-content-sha256} (header) or {@code UNSIGNED-PAYLOAD} (presigned).
 *
 * <p>{@link #authenticate} checks everything in the head and throws a {@link StorageException} with
 * S3's code: {@code AccessDenied} (anonymous, or a presigned URL that expired), {@code InvalidAccessKeyId},
 * {@code SignatureDoesNotMatch} (with {@code StringToSign} and {@code CanonicalRequest} in the details, as
 * S3 sends them), {@code RequestTimeTooSkewed} (more than 15 minutes off), {@code AuthorizationHeaderMalformed},
 * {@code AuthorizationQueryParametersError}, {@code InvalidRequest} (Signature Version 2). What can only be
 * checked in the body is installed as a {@link dev.mockstorage.internal.http.BodyVerifier}: a hex
 * {@code x-amz-content-sha256} is compared at the end of the body ({@code XAmzContentSHA256Mismatch}), and
 * {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]} bodies have every chunk signature (chained from
 * the request's signature) and the trailer signature checked; a failure fails the body's read, so the
 * request stores nothing.
 */
public final class Authenticator {
    /** Largest difference between a request's time and the server's S3 allows. */
    static final Duration MAX_SKEW = Duration.ofMinutes(15);
    /** Longest lifetime of a presigned URL: one week. */
    static final long MAX_EXPIRES_SECONDS = 604_800;

    static final String STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    static final String STREAMING_SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
    private static final List<String> UNSIGNED_BODIES =
            List.of("UNSIGNED-PAYLOAD", "STREAMING-UNSIGNED-PAYLOAD-TRAILER");
    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);
    private static final String V4_ONLY =
            "The authorization mechanism you have provided is not supported. Please use " + SigV4.ALGORITHM + ".";

    private final Map<String, String> secrets;
    private final Clock clock;
    private final Clock signingClock;

    /**
     * One clock for both checks.
     *
     * @param secrets secret key by access key id; a request signed by any other access key is refused
     * @param clock   for the expiry of presigned URLs and the skew of signed requests
     */
    public Authenticator(Map<String, String> secrets, Clock clock) {
        this(secrets, clock, clock);
    }

    /**
     * @param secrets      secret key by access key id; a request signed by any other access key is refused
     * @param clock        the server's clock, which tests may move ahead: presigned URLs expire on it
     * @param signingClock the time clients sign with (the system's): a header-signed request more than 15 minutes
     *                     off it is {@code RequestTimeTooSkewed}, so moving the server's clock never refuses one
     */
    public Authenticator(Map<String, String> secrets, Clock clock, Clock signingClock) {
        this.secrets = Map.copyOf(secrets);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.signingClock = Objects.requireNonNull(signingClock, "signingClock");
    }

    /**
     * Checks the request's signature; on success the body checks (if any) are installed on it. {@code OPTIONS}
     * (CORS preflight) passes unchecked, as on S3.
     *
     * @throws StorageException with S3's error code when the request is not properly signed
     */
    public void authenticate(HttpRequest request) {
        if (request.method().equals("OPTIONS")) {
            return; // CORS preflight: browsers never sign it, and S3 answers it unauthenticated
        }
        String authorization = request.header("authorization");
        boolean presigned = request.hasQueryParameter("X-Amz-Algorithm")
                || request.hasQueryParameter("X-Amz-Signature")
                || request.hasQueryParameter("X-Amz-Credential");
        if (authorization != null && presigned) {
            throw new StorageException(
                            ErrorCode.InvalidArgument,
                            "Only one auth mechanism allowed; only the X-Amz-Algorithm "
                                    + "query parameter, Signature query string parameter or the Authorization header should be specified")
                    .with("ArgumentName", "Authorization")
                    .with("ArgumentValue", authorization);
        }
        if (authorization != null) {
            headerSigned(request, authorization);
        } else if (presigned) {
            presigned(request);
        } else if (request.hasQueryParameter("Signature") || request.hasQueryParameter("AWSAccessKeyId")) {
            throw new StorageException(
                    ErrorCode.InvalidRequest,
                    V4_ONLY + " (mock-storage checks Signature Version 4 only; "
                            + "this presigned URL uses Signature Version 2)");
        } else {
            throw new StorageException(
                    ErrorCode.AccessDenied,
                    "Access Denied: the request is not signed, and mock-storage "
                            + "runs with auth.mode=strict (sign with Signature Version 4 and a configured access key)");
        }
    }

    // ---------------------------------------------------------------- Authorization header

    private void headerSigned(HttpRequest request, String authorization) {
        String auth = authorization.strip();
        int space = auth.indexOf(' ');
        String algorithm = space < 0 ? auth : auth.substring(0, space);
        if (!algorithm.equals(SigV4.ALGORITHM)) {
            throw new StorageException(
                    ErrorCode.InvalidRequest,
                    V4_ONLY
                            + (algorithm.equals("AWS")
                                    ? " (mock-storage checks Signature Version 4 only; this request uses Signature Version 2)"
                                    : " (got '" + algorithm + "')"));
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : auth.substring(space + 1).split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                fields.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
            }
        }
        for (String required : List.of("Credential", "SignedHeaders", "Signature")) {
            if (fields.get(required) == null || fields.get(required).isEmpty()) {
                throw new StorageException(
                        ErrorCode.AuthorizationHeaderMalformed,
                        "The authorization header is malformed; " + "it has no " + required
                                + " (expected 'AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...')");
            }
        }
        Scope scope = Scope.parse(
                fields.get("Credential"),
                ErrorCode.AuthorizationHeaderMalformed,
                "The authorization header is malformed; the Credential is mal-formed;");
        String secret = secretOf(scope.accessKey());

        String amzDate = request.header("x-amz-date");
        if (amzDate == null) {
            amzDate = fromHttpDate(request.header("date"));
        }
        Instant time = parseAmzDate(
                amzDate, ErrorCode.AccessDenied, "AWS authentication requires a valid Date or x-amz-date header");
        if (!amzDate.startsWith(scope.date())) {
            throw new StorageException(
                    ErrorCode.AuthorizationHeaderMalformed,
                    "The authorization header is malformed; " + "Invalid credential date \"" + scope.date()
                            + "\". This date is not the same as X-Amz-Date: \"" + amzDate + "\".");
        }
        Instant now = signingClock.instant();
        if (Duration.between(time, now).abs().compareTo(MAX_SKEW) > 0) {
            throw new StorageException(ErrorCode.RequestTimeTooSkewed, null)
                    .with("RequestTime", amzDate)
                    .with("ServerTime", now.truncatedTo(ChronoUnit.SECONDS).toString())
                    .with("MaxAllowedSkewMilliseconds", Long.toString(MAX_SKEW.toMillis()));
        }
        String payload = request.header("x-amz-content-sha256");
        if (payload == null) {
            throw new StorageException(
                    ErrorCode.InvalidRequest, "Missing required header for this request: x-amz-content-sha256");
        }
        payload = payload.strip();
        boolean streamingSigned = payload.equals(STREAMING_SIGNED) || payload.equals(STREAMING_SIGNED_TRAILER);
        boolean hexHash = HEX_SHA256.matcher(payload).matches();
        if (!streamingSigned && !hexHash && !UNSIGNED_BODIES.contains(payload)) {
            throw new StorageException(
                            ErrorCode.InvalidArgument,
                            "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, "
                                    + "STREAMING-UNSIGNED-PAYLOAD-TRAILER, " + STREAMING_SIGNED + ", "
                                    + STREAMING_SIGNED_TRAILER
                                    + " or a valid sha256 value.")
                    .with("ArgumentName", "x-amz-content-sha256")
                    .with("ArgumentValue", payload);
        }
        byte[] key = SigV4.signingKey(secret, scope.date(), scope.region(), scope.service());
        String signature = fields.get("Signature");
        check(
                request,
                scope,
                key,
                amzDate,
                signedHeaders(fields.get("SignedHeaders"), ErrorCode.AuthorizationHeaderMalformed),
                SigV4.canonicalQuery(request.rawQuery(), null),
                payload,
                signature);
        if (hexHash) {
            request.verifyBody(new PayloadHashVerifier(payload));
        } else if (streamingSigned) {
            request.verifyBody(new ChunkSignatureVerifier(
                    key, amzDate, scope.string(), signature, payload.equals(STREAMING_SIGNED_TRAILER)));
        }
    }

    // ---------------------------------------------------------------- presigned URLs

    private void presigned(HttpRequest request) {
        String algorithm = request.queryParameter("X-Amz-Algorithm");
        String credential = request.queryParameter("X-Amz-Credential");
        String amzDate = request.queryParameter("X-Amz-Date");
        String expires = request.queryParameter("X-Amz-Expires");
        String signedHeaders = request.queryParameter("X-Amz-SignedHeaders");
        String signature = request.queryParameter("X-Amz-Signature");
        if (algorithm == null
                || credential == null
                || amzDate == null
                || expires == null
                || signedHeaders == null
                || signature == null) {
            throw new StorageException(
                    ErrorCode.AuthorizationQueryParametersError,
                    "Query-string authentication version 4 "
                            + "requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, "
                            + "and X-Amz-Expires parameters.");
        }
        if (!algorithm.equals(SigV4.ALGORITHM)) {
            throw new StorageException(
                    ErrorCode.AuthorizationQueryParametersError,
                    "X-Amz-Algorithm only supports \"" + SigV4.ALGORITHM + "\"");
        }
        Scope scope = Scope.parse(
                credential,
                ErrorCode.AuthorizationQueryParametersError,
                "Error parsing the X-Amz-Credential parameter; the Credential is mal-formed;");
        String secret = secretOf(scope.accessKey());
        Instant time = parseAmzDate(
                amzDate,
                ErrorCode.AuthorizationQueryParametersError,
                "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
        if (!amzDate.startsWith(scope.date())) {
            throw new StorageException(
                    ErrorCode.AuthorizationQueryParametersError,
                    "Invalid credential date \"" + scope.date() + "\". This date is not the same as X-Amz-Date: \""
                            + amzDate + "\".");
        }
        long seconds;
        try {
            seconds = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            throw new StorageException(ErrorCode.AuthorizationQueryParametersError, "X-Amz-Expires should be a number");
        }
        if (seconds <= 0 || seconds > MAX_EXPIRES_SECONDS) {
            // a lifetime S3 never grants: 403, as S3 answers it (its other parameter errors are 400)
            String rule = seconds < 0
                    ? "must be non-negative"
                    : seconds == 0
                            ? "must be at least 1 second"
                            : "must be less than a week (in seconds) that is " + MAX_EXPIRES_SECONDS;
            throw new StorageException(ErrorCode.AuthorizationQueryParametersError, "X-Amz-Expires " + rule)
                    .with("X-Amz-Expires", expires)
                    .withStatus(403);
        }
        Instant now = clock.instant();
        if (time.minus(MAX_SKEW).isAfter(now)) {
            throw new StorageException(ErrorCode.AccessDenied, "Request is not valid yet")
                    .with("X-Amz-Date", amzDate)
                    .with("ServerTime", now.truncatedTo(ChronoUnit.SECONDS).toString());
        }
        Instant expiry = time.plusSeconds(seconds);
        if (now.isAfter(expiry)) {
            throw new StorageException(ErrorCode.AccessDenied, "Request has expired")
                    .with("X-Amz-Expires", expires)
                    .with("Expires", expiry.toString())
                    .with("ServerTime", now.truncatedTo(ChronoUnit.SECONDS).toString());
        }
        String payload = request.queryParameter("X-Amz-Content-Sha256");
        payload = payload == null ? "UNSIGNED-PAYLOAD" : payload;
        byte[] key = SigV4.signingKey(secret, scope.date(), scope.region(), scope.service());
        check(
                request,
                scope,
                key,
                amzDate,
                signedHeaders(signedHeaders, ErrorCode.AuthorizationQueryParametersError),
                SigV4.canonicalQuery(request.rawQuery(), "X-Amz-Signature"),
                payload,
                signature);
        if (HEX_SHA256.matcher(payload).matches()) {
            request.verifyBody(new PayloadHashVerifier(payload));
        }
    }

    // ---------------------------------------------------------------- shared

    /** Recomputes the signature; the path as received first, then (for clients that normalise it) re-encoded. */
    private static void check(
            HttpRequest request,
            Scope scope,
            byte[] key,
            String amzDate,
            List<String> signedHeaders,
            String canonicalQuery,
            String payload,
            String provided) {
        String headers = SigV4.canonicalHeaders(signedHeaders, request.headers());
        String canonical =
                canonicalRequest(request.method(), request.rawPath(), canonicalQuery, headers, signedHeaders, payload);
        String stringToSign = stringToSign(amzDate, scope, canonical);
        if (SigV4.same(SigV4.sign(key, stringToSign), provided)) {
            return;
        }
        String normalised = SigV4.normalisedPath(request.rawPath());
        if (!normalised.equals(request.rawPath())) {
            String other =
                    canonicalRequest(request.method(), normalised, canonicalQuery, headers, signedHeaders, payload);
            if (SigV4.same(SigV4.sign(key, stringToSign(amzDate, scope, other)), provided)) {
                return;
            }
        }
        throw new StorageException(ErrorCode.SignatureDoesNotMatch, null)
                .with("AWSAccessKeyId", scope.accessKey())
                .with("StringToSign", stringToSign)
                .with("SignatureProvided", provided)
                .with("CanonicalRequest", canonical);
    }

    private static String canonicalRequest(
            String method, String path, String query, String headers, List<String> signed, String payload) {
        return method + "\n" + path + "\n" + query + "\n" + headers + "\n" + String.join(";", signed) + "\n" + payload;
    }

    private static String stringToSign(String amzDate, Scope scope, String canonicalRequest) {
        return SigV4.ALGORITHM + "\n" + amzDate + "\n" + scope.string() + "\n" + SigV4.sha256Hex(canonicalRequest);
    }

    private String secretOf(String accessKey) {
        String secret = secrets.get(accessKey);
        if (secret == null) {
            throw new StorageException(ErrorCode.InvalidAccessKeyId, null).with("AWSAccessKeyId", accessKey);
        }
        return secret;
    }

    private static List<String> signedHeaders(String value, ErrorCode code) {
        List<String> names = Arrays.stream(value.split(";"))
                .map(s -> s.strip().toLowerCase(Locale.ROOT))
                .toList();
        if (names.isEmpty() || names.stream().anyMatch(String::isEmpty)) {
            throw new StorageException(
                    code, "SignedHeaders '" + value + "' is not a ';'-separated list of header names");
        }
        if (!names.contains("host")) {
            throw new StorageException(
                    code == ErrorCode.AuthorizationQueryParametersError ? code : ErrorCode.AccessDenied,
                    "Host must be a signed header (SignedHeaders is '" + value + "')");
        }
        return names;
    }

    private static Instant parseAmzDate(String value, ErrorCode code, String message) {
        if (value == null) {
            throw new StorageException(code, message);
        }
        try {
            return LocalDateTime.parse(value, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new StorageException(code, message + " (got '" + value + "')");
        }
    }

    /** An RFC 1123 {@code Date} header in the x-amz-date format, or null. */
    private static String fromHttpDate(String date) {
        if (date == null) {
            return null;
        }
        try {
            return AMZ_DATE.format(ZonedDateTime.parse(date.strip(), DateTimeFormatter.RFC_1123_DATE_TIME)
                    .withZoneSameInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** {@code AKID/yyyyMMdd/region/service/aws4_request}. */
    record Scope(String accessKey, String date, String region, String service) {
        static Scope parse(String credential, ErrorCode code, String prefix) {
            String[] p = credential.split("/", -1);
            String expected = " expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".";
            if (p.length != 5 || p[0].isEmpty() || !p[1].matches("\\d{8}") || p[2].isEmpty()) {
                throw new StorageException(code, prefix + expected + " (got '" + credential + "')");
            }
            if (!p[4].equals("aws4_request")) {
                throw new StorageException(
                        code, prefix + " incorrect terminal \"" + p[4] + "\". This endpoint uses \"aws4_request\".");
            }
            if (!p[3].equals("s3")) {
                throw new StorageException(
                        code, prefix + " incorrect service \"" + p[3] + "\". This endpoint belongs to \"s3\".");
            }
            return new Scope(p[0], p[1], p[2], p[3]);
        }

        /** {@code yyyyMMdd/region/service/aws4_request}, as in the string to sign. */
        String string() {
            return date + "/" + region + "/" + service + "/aws4_request";
        }
    }
}
