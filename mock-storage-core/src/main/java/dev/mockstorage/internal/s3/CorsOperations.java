package dev.mockstorage.internal.s3;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.http.HttpRequest;
import dev.mockstorage.internal.http.HttpResponse;
import dev.mockstorage.internal.metadata.CorsRule;
import dev.mockstorage.internal.s3.S3Request.Level;
import dev.mockstorage.internal.service.CorsRules;
import dev.mockstorage.internal.service.ObjectService;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.w3c.dom.Element;

/**
 * Put/Get/DeleteBucketCors and the {@code OPTIONS} preflight, answered from the bucket's CORS rules
 * as S3 does (first matching rule wins; see {@link CorsHeaders} for the headers of a match).
 */
final class CorsOperations {
    private static final String NOT_ALLOWED =
            "CORSResponse: This CORS request is not allowed. This is usually because the "
                    + "evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are "
                    + "not whitelisted by the resource's CORS spec.";

    private final ObjectService service;

    CorsOperations(ObjectService service) {
        this.service = service;
    }

    HttpResponse getBucketCors(S3Request r) {
        Xml xml = Xml.document("CORSConfiguration");
        for (CorsRule rule : service.settings().bucketCors(r.bucket())) {
            xml.start("CORSRule").element("ID", rule.id());
            rule.allowedHeaders().forEach(h -> xml.element("AllowedHeader", h));
            rule.allowedMethods().forEach(m -> xml.element("AllowedMethod", m));
            rule.allowedOrigins().forEach(o -> xml.element("AllowedOrigin", o));
            rule.exposeHeaders().forEach(h -> xml.element("ExposeHeader", h));
            xml.element("MaxAgeSeconds", rule.maxAgeSeconds()).end();
        }
        return Xml.response(200, xml);
    }

    HttpResponse putBucketCors(S3Request r) {
        service.buckets().require(r.bucket());
        byte[] body =
                ObjectOperations.readSmallBodyWithIntegrity(r.http()); // S3 requires Content-MD5 here, and checks it
        Element root = Xml.parse(new ByteArrayInputStream(body), "CORSConfiguration");
        List<CorsRule> rules = new ArrayList<>();
        for (Element rule : Xml.children(root, "CORSRule")) {
            rules.add(new CorsRule(
                    single(rule, "ID"),
                    texts(rule, "AllowedOrigin"),
                    texts(rule, "AllowedMethod"),
                    texts(rule, "AllowedHeader"),
                    texts(rule, "ExposeHeader"),
                    maxAge(single(rule, "MaxAgeSeconds"))));
        }
        service.settings().setBucketCors(r.bucket(), rules);
        return HttpResponse.status(200);
    }

    HttpResponse deleteBucketCors(S3Request r) {
        service.settings().deleteBucketCors(r.bucket());
        return HttpResponse.status(204);
    }

    /**
     * {@code OPTIONS /bucket[/key]}: 400 without {@code Origin} or with a missing or unknown
     * {@code Access-Control-Request-Method}; 403 {@code AccessForbidden} when the bucket is missing,
     * has no CORS configuration or no rule allows the request; else 200 with the rule's headers.
     */
    HttpResponse preflight(S3Request r) {
        HttpRequest http = r.http();
        String origin = http.header("origin");
        if (origin == null) {
            throw new StorageException(ErrorCode.BadRequest, "Insufficient information. Origin request header needed.");
        }
        String method = http.header("access-control-request-method");
        if (method == null || !CorsRules.METHODS.contains(method)) {
            throw new StorageException(ErrorCode.BadRequest, "Invalid Access-Control-Request-Method: " + method);
        }
        List<String> headers = requestHeaders(http.header("access-control-request-headers"));
        String resourceType = r.level() == Level.OBJECT ? "OBJECT" : "BUCKET";
        Optional<List<CorsRule>> rules = service.settings().corsRules(r.bucket());
        if (rules.isEmpty()) {
            throw forbidden(
                    bucketExists(r.bucket())
                            ? "CORSResponse: CORS is not enabled for this bucket."
                            : "CORSResponse: Bucket not found",
                    method,
                    resourceType);
        }
        CorsRule rule = CorsRules.match(rules.get(), origin, method, headers)
                .orElseThrow(() -> forbidden(NOT_ALLOWED, method, resourceType));
        HttpResponse response = HttpResponse.status(200);
        CorsHeaders.allow(response, rule, origin);
        if (!headers.isEmpty()) {
            response.header("Access-Control-Allow-Headers", String.join(", ", headers));
        }
        return response;
    }

    private boolean bucketExists(String bucket) {
        try {
            service.buckets().require(bucket);
            return true;
        } catch (StorageException e) {
            if (e.code() == ErrorCode.NoSuchBucket) {
                return false;
            }
            throw e;
        }
    }

    private static StorageException forbidden(String message, String method, String resourceType) {
        return new StorageException(ErrorCode.AccessForbidden, message)
                .with("Method", method)
                .with("ResourceType", resourceType);
    }

    /** {@code Access-Control-Request-Headers} as a list of lower-case names (empty when absent). */
    private static List<String> requestHeaders(String value) {
        List<String> headers = new ArrayList<>();
        if (value != null) {
            for (String h : value.split(",")) {
                String name = h.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty()) {
                    headers.add(name);
                }
            }
        }
        return headers;
    }

    /** S3 requires Content-MD5 on PutBucketCors (and the other bucket configurations); the SDKs' newer flexible checksums stand in for it. */
    static void requireIntegrityHeader(HttpRequest http) {
        if (http.header("content-md5") != null || http.header("x-amz-trailer") != null) {
            return;
        }
        for (String name : http.headers().keySet()) {
            if (name.startsWith("x-amz-checksum-")
                    && !name.equals("x-amz-checksum-algorithm")
                    && !name.equals("x-amz-checksum-type")) {
                return;
            }
        }
        throw new StorageException(
                ErrorCode.InvalidRequest,
                "Missing required header for this request: Content-MD5 (or an x-amz-checksum-* header)");
    }

    private static List<String> texts(Element parent, String name) {
        List<String> values = new ArrayList<>();
        for (Element e : Xml.children(parent, name)) {
            values.add(e.getTextContent().trim());
        }
        return values;
    }

    private static String single(Element parent, String name) {
        List<Element> elements = Xml.children(parent, name);
        if (elements.size() > 1) {
            throw new StorageException(
                    ErrorCode.MalformedXML,
                    "The XML you provided was not well-formed: a <CORSRule> has more than one <" + name + ">");
        }
        if (elements.isEmpty()) {
            return null;
        }
        String text = elements.get(0).getTextContent().trim();
        return text.isEmpty() ? null : text;
    }

    private static Integer maxAge(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Integer.valueOf(text);
        } catch (NumberFormatException e) {
            throw new StorageException(ErrorCode.MalformedXML, "MaxAgeSeconds \"" + text + "\" is not a valid value");
        }
    }
}
