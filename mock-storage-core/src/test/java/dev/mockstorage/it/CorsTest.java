package dev.mockstorage.it;

import static dev.mockstorage.it.S3Assertions.assertS3Error;
import static dev.mockstorage.it.S3Assertions.assertSdkError;
import static dev.mockstorage.it.S3Assertions.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mockstorage.testing.RawHttp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CORSRule;

/**
 * CORS as S3 does it: Put/Get/DeleteBucketCors through the SDK at its defaults (and the AWS CLI once),
 * the {@code OPTIONS} preflight over raw HTTP, and the CORS headers on actual requests with an
 * {@code Origin}, ending with a browser-like upload (preflight, then PUT) through java.net.http.
 */
class CorsTest {
    private static final String APP = "http://app.example.com";
    /** The Vary value S3 sends with CORS headers. */
    private static final String VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";

    @StartStop
    static final TestServer server = TestServer.create();

    static S3Client s3;

    @BeforeAll
    static void start() {
        s3 = server.s3();
    }

    private static void putCors(String bucket, CORSRule... rules) {
        s3.putBucketCors(b -> b.bucket(bucket).corsConfiguration(c -> c.corsRules(rules)));
    }

    /** A rule for uploads from {@link #APP}: PUT/POST, content-type and x-amz-* headers, ETag exposed. */
    private static CORSRule uploadRule() {
        return CORSRule.builder()
                .id("uploads")
                .allowedOrigins(APP)
                .allowedMethods("PUT", "POST")
                .allowedHeaders("Content-Type", "x-amz-*")
                .exposeHeaders("ETag", "x-amz-request-id")
                .maxAgeSeconds(3000)
                .build();
    }

    private static RawHttp.Response options(String target, String origin, String method, String headers) {
        Map<String, String> h = new LinkedHashMap<>();
        if (origin != null) {
            h.put("Origin", origin);
        }
        if (method != null) {
            h.put("Access-Control-Request-Method", method);
        }
        if (headers != null) {
            h.put("Access-Control-Request-Headers", headers);
        }
        return server.raw().send("OPTIONS", target, h, new byte[0]);
    }

    private static String md5(byte[] body) throws Exception {
        return Base64.getEncoder()
                .encodeToString(MessageDigest.getInstance("MD5").digest(body));
    }

    // ---------------------------------------------------------------- configuration through the SDK

    @Test
    void putGetAndDeleteBucketCorsRoundTripTheRules() {
        String bucket = server.createBucket("cors-roundtrip");
        CORSRule any = CORSRule.builder()
                .allowedOrigins("*")
                .allowedMethods("GET", "HEAD")
                .build();
        putCors(bucket, uploadRule(), any);

        List<CORSRule> rules = s3.getBucketCors(b -> b.bucket(bucket)).corsRules();
        assertEquals(List.of(uploadRule(), any), rules, "rules come back as given, in order");

        putCors(bucket, any); // a put replaces the whole configuration
        assertEquals(List.of(any), s3.getBucketCors(b -> b.bucket(bucket)).corsRules());

        s3.deleteBucketCors(b -> b.bucket(bucket));
        assertSdkError(404, "NoSuchCORSConfiguration", () -> s3.getBucketCors(b -> b.bucket(bucket)));
        s3.deleteBucketCors(b -> b.bucket(bucket)); // deleting what is not there is fine, as on S3
    }

    @Test
    void invalidConfigurationsAreRefusedAsS3Does() {
        String bucket = server.createBucket("cors-invalid");
        assertSdkError(404, "NoSuchCORSConfiguration", () -> s3.getBucketCors(b -> b.bucket(bucket)));
        assertSdkError(
                400,
                "InvalidRequest",
                () -> putCors(
                        bucket,
                        CORSRule.builder()
                                .allowedOrigins(APP)
                                .allowedMethods("GET", "PATCH")
                                .build()));
        assertSdkError(
                400,
                "InvalidRequest",
                () -> putCors(
                        bucket,
                        CORSRule.builder()
                                .allowedOrigins("http://*.example.*")
                                .allowedMethods("GET")
                                .build()));
        assertSdkError(
                400,
                "InvalidRequest",
                () -> putCors(
                        bucket,
                        CORSRule.builder()
                                .allowedOrigins(APP)
                                .allowedMethods("GET")
                                .allowedHeaders("x-*-*")
                                .build()));
        List<CORSRule> tooMany = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            tooMany.add(CORSRule.builder()
                    .allowedOrigins("http://o" + i + ".example.com")
                    .allowedMethods("GET")
                    .build());
        }
        assertSdkError(400, "InvalidRequest", () -> putCors(bucket, tooMany.toArray(CORSRule[]::new)));
        putCors(bucket, tooMany.subList(0, 100).toArray(CORSRule[]::new)); // 100 is the limit, allowed
        assertEquals(100, s3.getBucketCors(b -> b.bucket(bucket)).corsRules().size());

        // ?cors where S3 has no such operation is not served as something else
        assertS3Error(server.raw().get("/" + bucket + "/key?cors"), 501, "NotImplemented");
        assertS3Error(server.raw().send("POST", "/" + bucket + "?cors"), 501, "NotImplemented");

        assertSdkError(404, "NoSuchBucket", () -> s3.getBucketCors(b -> b.bucket("cors-nobucket")));
        assertSdkError(404, "NoSuchBucket", () -> putCors("cors-nobucket", uploadRule()));
        assertSdkError(404, "NoSuchBucket", () -> s3.deleteBucketCors(b -> b.bucket("cors-nobucket")));
    }

    @Test
    void malformedBodiesAndMissingOrWrongContentMd5AreRefused() throws Exception {
        String bucket = server.createBucket("cors-raw");
        byte[] noMethod = "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>"
                .getBytes(StandardCharsets.UTF_8);
        assertS3Error(
                server.raw().put("/" + bucket + "?cors", Map.of("Content-MD5", md5(noMethod)), noMethod),
                400,
                "MalformedXML");
        byte[] broken = "<CORSConfiguration><CORSRule>".getBytes(StandardCharsets.UTF_8);
        assertS3Error(
                server.raw().put("/" + bucket + "?cors", Map.of("Content-MD5", md5(broken)), broken),
                400,
                "MalformedXML");
        byte[] empty = "<CORSConfiguration/>".getBytes(StandardCharsets.UTF_8);
        assertS3Error(
                server.raw().put("/" + bucket + "?cors", Map.of("Content-MD5", md5(empty)), empty),
                400,
                "MalformedXML");
        byte[] badAge =
                ("<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>"
                                + "<MaxAgeSeconds>soon</MaxAgeSeconds></CORSRule></CORSConfiguration>")
                        .getBytes(StandardCharsets.UTF_8);
        assertS3Error(
                server.raw().put("/" + bucket + "?cors", Map.of("Content-MD5", md5(badAge)), badAge),
                400,
                "MalformedXML");

        byte[] good = ("<CORSConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><CORSRule>"
                        + "<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>")
                .getBytes(StandardCharsets.UTF_8);
        Document missing =
                assertS3Error(server.raw().put("/" + bucket + "?cors", Map.of(), good), 400, "InvalidRequest");
        assertTrue(text(missing, "Message").contains("Content-MD5"), text(missing, "Message"));
        assertS3Error(
                server.raw().put("/" + bucket + "?cors", Map.of("Content-MD5", md5(broken)), good), 400, "BadDigest");
        assertSdkError(404, "NoSuchCORSConfiguration", () -> s3.getBucketCors(b -> b.bucket(bucket)));

        assertEquals(
                200,
                server.raw()
                        .put("/" + bucket + "?cors", Map.of("Content-MD5", md5(good)), good)
                        .status());
        assertEquals(
                List.of("*"),
                s3.getBucketCors(b -> b.bucket(bucket)).corsRules().get(0).allowedOrigins());
    }

    // ---------------------------------------------------------------- preflight

    @Test
    void allowedPreflightAnswersTheRulesHeaders() {
        String bucket = server.createBucket("cors-preflight");
        putCors(bucket, uploadRule());
        RawHttp.Response r =
                options("/" + bucket + "/photos/cat.jpg", APP, "PUT", "Content-Type, X-Amz-Meta-Owner,x-amz-date");
        assertEquals(200, r.status(), r::toString);
        assertEquals(APP, r.header("Access-Control-Allow-Origin"));
        assertEquals("true", r.header("Access-Control-Allow-Credentials"));
        assertEquals("PUT, POST", r.header("Access-Control-Allow-Methods"));
        assertEquals("content-type, x-amz-meta-owner, x-amz-date", r.header("Access-Control-Allow-Headers"));
        assertEquals("ETag, x-amz-request-id", r.header("Access-Control-Expose-Headers"));
        assertEquals("3000", r.header("Access-Control-Max-Age"));
        assertEquals(VARY, r.header("Vary"));
        assertEquals("0", r.header("Content-Length"));
        assertEquals(0, r.body().length);

        // without Access-Control-Request-Headers there is nothing to check nor echo
        RawHttp.Response plain = options("/" + bucket + "/k", APP, "POST", null);
        assertEquals(200, plain.status(), plain::toString);
        assertNull(plain.header("Access-Control-Allow-Headers"));

        // the bucket itself (a browser POST upload form) is answered the same way
        assertEquals(200, options("/" + bucket, APP, "POST", "content-type").status());
        // preflights of multipart and versioned requests carry sub-resources: still preflights, not 501
        assertEquals(
                200,
                options("/" + bucket + "/big.bin?partNumber=2&uploadId=abc", APP, "PUT", null)
                        .status());
        assertEquals(
                200,
                options("/" + bucket + "/big.bin?uploads", APP, "POST", null).status());
        assertEquals(
                200,
                options("/" + bucket + "/k?tagging&versionId=3HL4kqtJlcpXroDTDmJ", APP, "PUT", null)
                        .status());
    }

    @Test
    void preflightThatNoRuleAllowsIsForbidden() {
        String bucket = server.createBucket("cors-denied");
        putCors(bucket, uploadRule());
        String key = "/" + bucket + "/k";
        Document wrongOrigin =
                assertS3Error(options(key, "http://evil.example.net", "PUT", null), 403, "AccessForbidden");
        assertTrue(
                text(wrongOrigin, "Message").startsWith("CORSResponse: This CORS request is not allowed."),
                text(wrongOrigin, "Message"));
        assertEquals("PUT", text(wrongOrigin, "Method"));
        assertEquals("OBJECT", text(wrongOrigin, "ResourceType"));
        assertS3Error(options(key, APP, "GET", null), 403, "AccessForbidden"); // method not allowed by the rule
        assertS3Error(
                options(key, APP, "PUT", "content-type, authorization"),
                403,
                "AccessForbidden"); // one header not allowed
        assertS3Error(
                options(key, "https://app.example.com", "PUT", null), 403, "AccessForbidden"); // origins match exactly
        assertEquals(
                "BUCKET",
                text(
                        assertS3Error(options("/" + bucket, APP, "DELETE", null), 403, "AccessForbidden"),
                        "ResourceType"));
        RawHttp.Response denied = options(key, "http://evil.example.net", "PUT", null);
        assertNull(denied.header("Access-Control-Allow-Origin"), "a denied preflight carries no CORS headers");
    }

    @Test
    void preflightWithoutConfigurationOrBucketOrRequiredHeaders() {
        String bucket = server.createBucket("cors-none");
        Document none = assertS3Error(options("/" + bucket + "/k", APP, "GET", null), 403, "AccessForbidden");
        assertEquals("CORSResponse: CORS is not enabled for this bucket.", text(none, "Message"));
        Document noBucket = assertS3Error(options("/cors-missing-bucket/k", APP, "GET", null), 403, "AccessForbidden");
        assertEquals("CORSResponse: Bucket not found", text(noBucket, "Message"));

        Document noOrigin = assertS3Error(options("/" + bucket + "/k", null, "GET", null), 400, "BadRequest");
        assertEquals("Insufficient information. Origin request header needed.", text(noOrigin, "Message"));
        Document noMethod = assertS3Error(options("/" + bucket + "/k", APP, null, null), 400, "BadRequest");
        assertTrue(
                text(noMethod, "Message").startsWith("Invalid Access-Control-Request-Method"),
                text(noMethod, "Message"));
        assertS3Error(options("/" + bucket + "/k", APP, "PATCH", null), 400, "BadRequest");
    }

    @Test
    void wildcardsInOriginsAndHeadersAndFirstMatchingRuleWins() {
        String bucket = server.createBucket("cors-wildcards");
        putCors(
                bucket,
                CORSRule.builder()
                        .id("sub")
                        .allowedOrigins("http://*.example.com")
                        .allowedMethods("GET")
                        .allowedHeaders("x-amz-meta-*")
                        .maxAgeSeconds(60)
                        .build(),
                CORSRule.builder()
                        .id("anyone")
                        .allowedOrigins("*")
                        .allowedMethods("GET", "HEAD")
                        .allowedHeaders("*")
                        .build());
        String key = "/" + bucket + "/k";

        RawHttp.Response sub = options(key, "http://a.b.example.com", "GET", "X-Amz-Meta-Color");
        assertEquals(200, sub.status(), sub::toString);
        assertEquals("http://a.b.example.com", sub.header("Access-Control-Allow-Origin"));
        assertEquals("60", sub.header("Access-Control-Max-Age"), "the first rule matched");

        // a header the first rule does not allow falls through to the second, which allows any origin
        RawHttp.Response any = options(key, "http://a.example.com", "GET", "range");
        assertEquals(200, any.status(), any::toString);
        assertEquals("*", any.header("Access-Control-Allow-Origin"));
        assertNull(any.header("Access-Control-Allow-Credentials"), "never credentials with a * origin");
        assertNull(any.header("Access-Control-Max-Age"));
        assertEquals("GET, HEAD", any.header("Access-Control-Allow-Methods"));
        assertEquals("range", any.header("Access-Control-Allow-Headers"));

        assertEquals("*", options(key, "null", "HEAD", null).header("Access-Control-Allow-Origin"));
        assertS3Error(options(key, "http://example.com", "PUT", null), 403, "AccessForbidden");
    }

    // ---------------------------------------------------------------- actual requests

    @Test
    void actualRequestsWithAnAllowedOriginGetTheCorsHeaders() {
        String bucket = server.createBucket("cors-actual");
        putCors(
                bucket,
                CORSRule.builder()
                        .allowedOrigins(APP)
                        .allowedMethods("GET", "PUT", "HEAD")
                        .exposeHeaders("ETag")
                        .maxAgeSeconds(10)
                        .build());
        String key = "/" + bucket + "/doc.txt";

        RawHttp.Response put = server.raw().put(key, Map.of("Origin", APP), "hello".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, put.status(), put::toString);
        assertEquals(APP, put.header("Access-Control-Allow-Origin"));
        assertEquals("true", put.header("Access-Control-Allow-Credentials"));
        assertEquals("ETag", put.header("Access-Control-Expose-Headers"));
        assertEquals("GET, PUT, HEAD", put.header("Access-Control-Allow-Methods"));
        assertEquals("10", put.header("Access-Control-Max-Age"));
        assertEquals(VARY, put.header("Vary"));

        RawHttp.Response get = server.raw().send("GET", key, Map.of("Origin", APP), new byte[0]);
        assertEquals("hello", get.bodyText());
        assertEquals(APP, get.header("Access-Control-Allow-Origin"));
        RawHttp.Response head = server.raw().send("HEAD", key, Map.of("Origin", APP), new byte[0]);
        assertEquals(200, head.status());
        assertEquals(APP, head.header("Access-Control-Allow-Origin"));
        // errors are readable by the page too
        RawHttp.Response missing = server.raw().send("GET", "/" + bucket + "/nope", Map.of("Origin", APP), new byte[0]);
        assertS3Error(missing, 404, "NoSuchKey");
        assertEquals(APP, missing.header("Access-Control-Allow-Origin"));

        assertNull(server.raw().get(key).header("Access-Control-Allow-Origin"), "no Origin, no CORS headers");
        assertNull(server.raw().get(key).header("Vary"));
        RawHttp.Response other =
                server.raw().send("GET", key, Map.of("Origin", "http://evil.example.net"), new byte[0]);
        assertEquals("hello", other.bodyText(), "CORS is for browsers: the request itself is served");
        assertNull(other.header("Access-Control-Allow-Origin"));
        RawHttp.Response delete = server.raw().send("DELETE", key, Map.of("Origin", APP), new byte[0]);
        assertEquals(204, delete.status());
        assertNull(delete.header("Access-Control-Allow-Origin"), "DELETE is not an allowed method");
    }

    @Test
    void browserLikeUploadPreflightThenPutWithOrigin() throws Exception {
        String bucket = server.createBucket("cors-browser");
        putCors(
                bucket,
                uploadRule(),
                CORSRule.builder().allowedOrigins(APP).allowedMethods("GET").build());
        // the URL a page gets from its backend (presigned in production; any credentials are accepted by default)
        String url =
                server.url() + "/" + bucket + "/uploads/photo.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=300";
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<Void> preflight = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .header("Origin", APP)
                        .header("Access-Control-Request-Method", "PUT")
                        .header("Access-Control-Request-Headers", "content-type")
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        assertEquals(200, preflight.statusCode());
        assertEquals(
                APP,
                preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertTrue(preflight
                .headers()
                .firstValue("Access-Control-Allow-Methods")
                .orElse("")
                .contains("PUT"));
        assertEquals(
                "content-type",
                preflight.headers().firstValue("Access-Control-Allow-Headers").orElse(null));

        HttpResponse<String> put = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .PUT(HttpRequest.BodyPublishers.ofString("jpeg bytes"))
                        .header("Origin", APP)
                        .header("Content-Type", "image/jpeg")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put.statusCode(), put::body);
        assertEquals(
                APP, put.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertTrue(put.headers()
                .firstValue("Access-Control-Expose-Headers")
                .orElse("")
                .contains("ETag"));
        assertTrue(put.headers().firstValue("ETag").isPresent(), "the exposed ETag is there for the page to read");

        HttpResponse<String> get = http.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/" + bucket + "/uploads/photo.jpg"))
                        .header("Origin", APP)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("jpeg bytes", get.body());
        assertEquals(
                APP,
                get.headers().firstValue("Access-Control-Allow-Origin").orElse(null),
                "GET matched the second rule");
        assertEquals(
                "image/jpeg",
                s3.headObject(b -> b.bucket(bucket).key("uploads/photo.jpg")).contentType());
    }

    // ---------------------------------------------------------------- lifetime

    @Test
    void configurationGoesWithTheBucketAndSurvivesARestart(@TempDir Path dir) {
        try (TestServer own = TestServer.start(dir)) {
            own.createBucket("cors-life");
            own.s3().putBucketCors(b -> b.bucket("cors-life").corsConfiguration(c -> c.corsRules(uploadRule())));
            own.s3().deleteBucket(b -> b.bucket("cors-life"));
            own.createBucket("cors-life");
            assertSdkError(404, "NoSuchCORSConfiguration", () -> own.s3().getBucketCors(b -> b.bucket("cors-life")));

            own.s3().putBucketCors(b -> b.bucket("cors-life").corsConfiguration(c -> c.corsRules(uploadRule())));
        }
        try (TestServer again = TestServer.start(dir)) {
            assertEquals(
                    List.of(uploadRule()),
                    again.s3().getBucketCors(b -> b.bucket("cors-life")).corsRules(),
                    "kept in SQLite");
            again.server().reset();
            again.createBucket("cors-life");
            assertSdkError(404, "NoSuchCORSConfiguration", () -> again.s3().getBucketCors(b -> b.bucket("cors-life")));
        }
    }

    @Test
    void awsCliPutsAndGetsTheBucketCors() throws IOException {
        String bucket = server.createBucket("cors-cli");
        Path work = server.directory();
        Path cors = Files.writeString(work.resolve("cors.json"), """
                {"CORSRules": [{"ID": "cli", "AllowedOrigins": ["http://app.example.com"], "AllowedMethods": ["PUT", "GET"],
                  "AllowedHeaders": ["*"], "ExposeHeaders": ["ETag"], "MaxAgeSeconds": 600}]}
                """);
        AwsCli.run(
                        server,
                        work,
                        "s3api",
                        "put-bucket-cors",
                        "--bucket",
                        bucket,
                        "--cors-configuration",
                        "file://" + cors)
                .assertSuccess();
        JsonNode rules = new ObjectMapper()
                .readTree(AwsCli.run(server, work, "s3api", "get-bucket-cors", "--bucket", bucket)
                        .assertSuccess()
                        .stdout())
                .get("CORSRules");
        assertEquals(1, rules.size());
        assertEquals("cli", rules.get(0).get("ID").asText());
        assertEquals("[\"PUT\",\"GET\"]", rules.get(0).get("AllowedMethods").toString());
        assertEquals(600, rules.get(0).get("MaxAgeSeconds").asInt());
        assertEquals(
                200,
                options("/" + bucket + "/x", APP, "PUT", "content-type, x-amz-acl")
                        .status());
    }
}
