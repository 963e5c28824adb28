package dev.mockstorage.internal.s3;

import dev.mockstorage.internal.checksum.ChecksumAlgorithm;
import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.http.HttpRequest;
import dev.mockstorage.internal.http.HttpResponse;
import dev.mockstorage.internal.http.PercentCodec;
import dev.mockstorage.internal.metadata.ObjectLock;
import dev.mockstorage.internal.metadata.ObjectRecord;
import dev.mockstorage.internal.service.ObjectWrite;
import dev.mockstorage.internal.service.Tags;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Translates between an object's HTTP headers and what is stored about it. */
final class ObjectHeaders {
    static final String USER_METADATA_PREFIX = "x-amz-meta-";
    static final String DEFAULT_CONTENT_TYPE = "binary/octet-stream";
    /** Stored headers: request name (lower case) -> canonical name. */
    private static final Map<String, String> STORED = new LinkedHashMap<>();

    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final List<String[]> RESPONSE_OVERRIDES = List.of(
            new String[] {"response-content-type", "Content-Type"},
            new String[] {"response-content-language", "Content-Language"},
            new String[] {"response-expires", "Expires"},
            new String[] {"response-cache-control", "Cache-Control"},
            new String[] {"response-content-disposition", "Content-Disposition"},
            new String[] {"response-content-encoding", "Content-Encoding"});

    static {
        STORED.put("content-disposition", "Content-Disposition");
        STORED.put("content-encoding", "Content-Encoding");
        STORED.put("cache-control", "Cache-Control");
        STORED.put("expires", "Expires");
        STORED.put("content-language", "Content-Language");
    }

    private ObjectHeaders() {}

    /** What a PutObject (or a CopyObject with REPLACE) asks to store. */
    static ObjectWrite write(HttpRequest request, String bucket, String key) {
        return new ObjectWrite(
                bucket,
                key,
                request.header("content-type"),
                userMetadata(request),
                storedHeaders(request),
                request.header("content-md5"),
                payloadSha256(request),
                checksumValues(request),
                checksumAlgorithms(request),
                request::trailers,
                request.declaredBodyLength(),
                requestTags(request),
                null,
                requestedLock(request));
    }

    /**
     * The lock of {@code x-amz-object-lock-mode}, {@code -retain-until-date} (ISO 8601) and {@code -legal-hold}
     * (ON or OFF); null without any of them.
     */
    static ObjectLock requestedLock(HttpRequest request) {
        String mode = request.header("x-amz-object-lock-mode");
        String until = request.header("x-amz-object-lock-retain-until-date");
        String hold = request.header("x-amz-object-lock-legal-hold");
        if (mode == null && until == null && hold == null) {
            return null;
        }
        Instant retainUntil = null;
        if (until != null) {
            try {
                retainUntil = Instant.parse(until.trim());
            } catch (DateTimeParseException e) {
                throw new StorageException(
                                ErrorCode.InvalidArgument,
                                "The retain until date is not a valid ISO 8601 date: " + until)
                        .with("ArgumentName", "x-amz-object-lock-retain-until-date")
                        .with("ArgumentValue", until);
            }
        }
        return new ObjectLock(
                mode == null ? null : mode.trim(), retainUntil, hold == null ? null : legalHold(hold.trim()));
    }

    /** ON or OFF, as {@code <Status>} of a LegalHold and {@code x-amz-object-lock-legal-hold} take it. */
    static boolean legalHold(String status) {
        return switch (status) {
            case "ON" -> true;
            case "OFF" -> false;
            default ->
                throw new StorageException(
                                ErrorCode.InvalidArgument,
                                "The legal hold status must be ON or OFF, not '" + status + "'")
                        .with("ArgumentName", "x-amz-object-lock-legal-hold")
                        .with("ArgumentValue", status);
        };
    }

    /** The headers GET and HEAD answer for a version's lock. */
    static void lockHeaders(HttpResponse response, ObjectLock lock) {
        if (lock.mode() != null) {
            response.header("x-amz-object-lock-mode", lock.mode())
                    .header("x-amz-object-lock-retain-until-date", HttpDates.xml(lock.retainUntil()));
        }
        if (lock.legalHold() != null) {
            response.header("x-amz-object-lock-legal-hold", lock.legalHold() ? "ON" : "OFF");
        }
    }

    /** The tags of {@code x-amz-tagging} ({@code k1=v1&k2=v2}, URL-encoded), validated; empty without the header. */
    static Map<String, String> requestTags(HttpRequest request) {
        String header = request.header("x-amz-tagging");
        if (header == null) {
            return Map.of();
        }
        List<String[]> pairs = new ArrayList<>();
        for (String pair : header.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            pairs.add(new String[] {formDecode(k), formDecode(v)});
        }
        return Tags.fromPairs(pairs, false);
    }

    private static String formDecode(String s) {
        return PercentCodec.decode(s.replace("+", "%20"));
    }

    /** The write of a copy: metadata from the source (COPY) or from the request (REPLACE); checksums of the source's kinds. */
    static ObjectWrite copyWrite(HttpRequest request, ObjectRecord source, String bucket, String key, boolean replace) {
        Set<ChecksumAlgorithm> algorithms = new LinkedHashSet<>();
        for (String name : source.checksums().keySet()) {
            ChecksumAlgorithm.fromName(name).ifPresent(algorithms::add);
        }
        algorithms.addAll(checksumAlgorithms(request));
        String tagging = request.header("x-amz-tagging-directive");
        Map<String, String> tags;
        if (tagging == null || tagging.equalsIgnoreCase("COPY")) {
            tags = source.tags();
        } else if (tagging.equalsIgnoreCase("REPLACE")) {
            tags = requestTags(request);
        } else {
            throw new StorageException(
                            ErrorCode.InvalidArgument, "Unknown tagging directive: " + tagging + " (COPY or REPLACE)")
                    .with("ArgumentName", "x-amz-tagging-directive")
                    .with("ArgumentValue", tagging);
        }
        ObjectLock lock = requestedLock(request); // a copy is a new version: the source's lock is not copied
        if (replace) {
            return new ObjectWrite(
                    bucket,
                    key,
                    request.header("content-type"),
                    userMetadata(request),
                    storedHeaders(request),
                    null,
                    null,
                    Map.of(),
                    algorithms,
                    Map::of,
                    source.size(),
                    tags,
                    null,
                    lock);
        }
        return new ObjectWrite(
                bucket,
                key,
                source.contentType(),
                source.userMetadata(),
                source.headers(),
                null,
                null,
                Map.of(),
                algorithms,
                Map::of,
                source.size(),
                tags,
                null,
                lock);
    }

    static Map<String, String> userMetadata(HttpRequest request) {
        Map<String, String> meta = new TreeMap<>();
        for (Map.Entry<String, String> h : request.headers().entrySet()) {
            if (h.getKey().startsWith(USER_METADATA_PREFIX) && h.getKey().length() > USER_METADATA_PREFIX.length()) {
                meta.put(h.getKey().substring(USER_METADATA_PREFIX.length()), h.getValue());
            }
        }
        return meta;
    }

    static Map<String, String> storedHeaders(HttpRequest request) {
        Map<String, String> stored = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : STORED.entrySet()) {
            String v = request.header(e.getKey());
            if (e.getKey().equals("content-encoding") && v != null) {
                v = withoutAwsChunked(v);
            }
            if (v != null && !v.isEmpty()) {
                stored.put(e.getValue(), v);
            }
        }
        return stored;
    }

    /**
     * {@code aws-chunked} describes the transfer, not the object; S3 drops it and keeps the rest byte for byte
     * ({@code deflate, gzip} stays {@code deflate, gzip}).
     */
    static String withoutAwsChunked(String contentEncoding) {
        if (!contentEncoding.toLowerCase(Locale.ROOT).contains("aws-chunked")) {
            return contentEncoding;
        }
        StringBuilder kept = new StringBuilder();
        for (String part : contentEncoding.split(",")) {
            if (!part.isBlank() && !part.strip().equalsIgnoreCase("aws-chunked")) {
                kept.append(kept.length() == 0 ? part.stripLeading() : "," + part);
            }
        }
        return kept.toString();
    }

    /**
     * The payload's hex SHA-256 for the service to check, or null: when not a hex digest (UNSIGNED-PAYLOAD,
     * STREAMING-...), and when strict auth's verifier already checks the body against it (hashing a body
     * twice cost a second SHA-256 pass per upload).
     */
    private static String payloadSha256(HttpRequest request) {
        String v = request.header("x-amz-content-sha256");
        return v != null && !request.bodyVerified() && HEX_SHA256.matcher(v).matches() ? v : null;
    }

    private static Map<ChecksumAlgorithm, String> checksumValues(HttpRequest request) {
        Map<ChecksumAlgorithm, String> values = new EnumMap<>(ChecksumAlgorithm.class);
        for (ChecksumAlgorithm a : ChecksumAlgorithm.values()) {
            String v = request.header(a.headerName());
            if (v != null) {
                values.put(a, v.trim());
            }
        }
        return values;
    }

    private static Set<ChecksumAlgorithm> checksumAlgorithms(HttpRequest request) {
        Set<ChecksumAlgorithm> algorithms = new LinkedHashSet<>();
        for (String header : new String[] {"x-amz-sdk-checksum-algorithm", "x-amz-checksum-algorithm"}) {
            String name = request.header(header);
            if (name != null) {
                algorithms.add(ChecksumAlgorithm.fromName(name.trim())
                        .orElseThrow(() -> new StorageException(
                                ErrorCode.InvalidRequest,
                                "Checksum algorithm provided is unsupported: " + header + ": " + name
                                        + " (supported: CRC32, CRC32C, CRC64NVME, SHA1, SHA256)")));
            }
        }
        String trailer = request.header("x-amz-trailer");
        if (trailer != null) {
            for (String t : trailer.split(",")) {
                String name = t.trim().toLowerCase(Locale.ROOT);
                if (name.startsWith("x-amz-checksum-")) {
                    algorithms.add(ChecksumAlgorithm.fromHeader(name)
                            .orElseThrow(() -> new StorageException(
                                    ErrorCode.InvalidRequest,
                                    "The trailer " + name + " names an unsupported checksum algorithm")));
                }
            }
        }
        return algorithms;
    }

    /** Headers of a GET or HEAD answer: ETag, dates, type, stored headers, user metadata, and checksums when asked for. */
    static void describe(HttpResponse response, ObjectRecord object, HttpRequest request, boolean wholeObject) {
        response.header("Last-Modified", HttpDates.header(object.lastModified()))
                .header("ETag", quotedEtag(object))
                .header("Accept-Ranges", "bytes")
                .header("Content-Type", object.contentType() == null ? DEFAULT_CONTENT_TYPE : object.contentType());
        object.headers().forEach(response::header);
        object.userMetadata().forEach((name, value) -> response.header(USER_METADATA_PREFIX + name, mailSafe(value)));
        if (!object.tags().isEmpty()) {
            response.header(
                    "x-amz-tagging-count", Integer.toString(object.tags().size()));
        }
        if (wholeObject && "ENABLED".equalsIgnoreCase(request.header("x-amz-checksum-mode"))) {
            checksumHeaders(response, object);
        }
        overrides(response, request);
    }

    /**
     * A user metadata value as S3 answers it: as stored when every character fits ISO-8859-1, the charset the
     * response head is written in (so {@code é} sent by the SDK or boto3 comes back to them exactly); otherwise
     * RFC 2047-encoded ({@code =?UTF-8?B?...?=}), as S3 documents for values it cannot send as they are.
     */
    static String mailSafe(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) > 0xFF) {
                return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "?=";
            }
        }
        return value;
    }

    static void checksumHeaders(HttpResponse response, ObjectRecord object) {
        String type = null;
        for (Map.Entry<String, String> c : object.checksums().entrySet()) {
            var algorithm = ChecksumAlgorithm.fromName(c.getKey());
            if (algorithm.isPresent()) {
                response.header(algorithm.get().headerName(), c.getValue());
                // a multipart object's composite checksum ends in -N (checksum of the part checksums)
                type = c.getValue().indexOf('-') > 0 ? "COMPOSITE" : type == null ? "FULL_OBJECT" : type;
            }
        }
        if (type != null) {
            response.header("x-amz-checksum-type", type);
        }
    }

    /** {@code response-content-type=...} and friends replace the stored headers in the answer. */
    private static void overrides(HttpResponse response, HttpRequest request) {
        for (String[] o : RESPONSE_OVERRIDES) {
            String v = request.queryParameter(o[0]);
            if (v != null) {
                response.removeHeader(o[1]);
                response.header(o[1], v);
            }
        }
    }

    static String quotedEtag(ObjectRecord object) {
        return "\"" + object.etag() + "\"";
    }
}
