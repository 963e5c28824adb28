package dev.mockstorage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.sync.RequestBody;

/** Every admin endpoint over real HTTP (JDK client), with S3 traffic from the AWS SDK. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @StartStop
    private static final TestServer server = TestServer.create();

    @BeforeAll
    void start() {
        server.createBucket("photos");
        server.createBucket("docs");
        server.createBucket("empty");
        for (int i = 0; i < 5; i++) {
            put("photos", "2024/img-" + i + ".png", "image/png", "p".repeat(100 * (i + 1)));
        }
        put("docs", "readme.txt", "text/plain", "hello");
        put("docs", "notes/a[1].txt", "text/plain; charset=utf-8", "abc");
        put("docs", "ünïcödé key.md", "text/markdown", "x");
    }

    private void put(String bucket, String key, String type, String body) {
        server.s3()
                .putObject(
                        b -> b.bucket(bucket).key(key).contentType(type).metadata(java.util.Map.of("owner", "t")),
                        RequestBody.fromString(body));
    }

    record Answer(int status, JsonNode json, HttpResponse<String> raw) {}

    Answer call(String method, String pathAndQuery) throws IOException, InterruptedException {
        return call(HttpRequest.newBuilder(URI.create(server.url() + pathAndQuery))
                .method(method, HttpRequest.BodyPublishers.noBody()));
    }

    Answer call(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = r.body().isEmpty() ? null : JSON.readTree(r.body());
        return new Answer(r.statusCode(), json, r);
    }

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static void assertError(Answer a, int status, String code, String parameter) {
        assertEquals(status, a.status(), () -> a.raw().body());
        assertEquals(
                "application/json", a.raw().headers().firstValue("content-type").orElse(""));
        assertEquals(code, a.json().get("error").asText(), () -> a.raw().body());
        assertFalse(a.json().get("message").asText().isBlank());
        if (parameter != null) {
            assertEquals(
                    parameter, a.json().get("parameter").asText(), () -> a.raw().body());
            assertTrue(
                    a.json().get("message").asText().contains(parameter),
                    () -> a.raw().body());
        }
    }

    static List<String> keys(JsonNode page) {
        List<String> keys = new ArrayList<>();
        page.get("objects")
                .forEach(o ->
                        keys.add(o.get("bucket").asText() + "/" + o.get("key").asText()));
        return keys;
    }

    @Nested
    class ListObjects {
        @Test
        void pagesThroughEveryObjectInBucketThenKeyOrderWithAnOpaqueCursor() throws Exception {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                Answer a = call("GET", "/api/v1/objects?limit=3" + (cursor == null ? "" : "&cursor=" + cursor));
                assertEquals(200, a.status(), () -> a.raw().body());
                seen.addAll(keys(a.json()));
                assertTrue(a.json().get("count").asInt() <= 3);
                cursor = a.json().get("next_cursor").isNull()
                        ? null
                        : a.json().get("next_cursor").asText();
                assertEquals(cursor != null, a.json().get("truncated").asBoolean());
                pages++;
            } while (cursor != null);
            assertEquals(3, pages);
            assertEquals(
                    List.of(
                            "docs/notes/a[1].txt",
                            "docs/readme.txt",
                            "docs/ünïcödé key.md",
                            "photos/2024/img-0.png",
                            "photos/2024/img-1.png",
                            "photos/2024/img-2.png",
                            "photos/2024/img-3.png",
                            "photos/2024/img-4.png"),
                    seen);
        }

        @Test
        void filtersByBucketAndPrefix() throws Exception {
            Answer a = call("GET", "/api/v1/objects?bucket=photos&prefix=2024/img-1");
            assertEquals(List.of("photos/2024/img-1.png"), keys(a.json()));
            Answer docs = call("GET", "/api/v1/objects?bucket=docs");
            assertEquals(3, docs.json().get("count").asInt());
            JsonNode first = docs.json().get("objects").get(0);
            assertEquals("text/plain; charset=utf-8", first.get("content_type").asText());
            assertEquals(3, first.get("size").asLong());
            assertEquals(
                    0,
                    call("GET", "/api/v1/objects?bucket=empty")
                            .json()
                            .get("count")
                            .asInt());
        }

        @Test
        void badParametersAreNamed() throws Exception {
            assertError(call("GET", "/api/v1/objects?limit=0"), 400, "InvalidArgument", "limit");
            assertError(call("GET", "/api/v1/objects?limit=1001"), 400, "InvalidArgument", "limit");
            assertError(call("GET", "/api/v1/objects?limit=ten"), 400, "InvalidArgument", "limit");
            assertError(call("GET", "/api/v1/objects?cursor=%21%21"), 400, "InvalidArgument", "cursor");
            assertError(call("GET", "/api/v1/objects?colour=red"), 400, "InvalidArgument", "colour");
            assertError(call("GET", "/api/v1/objects?bucket=nope"), 404, "NoSuchBucket", null);
        }

        @Test
        void wrongMethodIs405NamingTheAllowedOnes() throws Exception {
            Answer a = call("PUT", "/api/v1/objects");
            assertError(a, 405, "MethodNotAllowed", null);
            assertTrue(
                    a.json().get("message").asText().contains("GET or POST"),
                    a.raw().body());
            assertError(call("GET", "/api/v1/nothing-here"), 404, "NotFound", null);
        }
    }

    @Nested
    class ObjectDetail {
        @Test
        void showsMetadataChecksumsAndTheNodesHoldingAReplica() throws Exception {
            Answer a = call("GET", "/api/v1/objects/docs/readme.txt");
            assertEquals(200, a.status(), () -> a.raw().body());
            JsonNode o = a.json();
            assertEquals("docs", o.get("bucket").asText());
            assertEquals("readme.txt", o.get("key").asText());
            assertEquals(5, o.get("size").asLong());
            assertEquals("\"5d41402abc4b2a76b9719d911017c592\"", o.get("etag").asText());
            assertEquals(
                    "5d41402abc4b2a76b9719d911017c592",
                    o.get("checksums").get("MD5").asText());
            assertEquals("text/plain", o.get("content_type").asText());
            assertEquals("t", o.get("user_metadata").get("owner").asText());
            assertFalse(o.get("created").asText().isEmpty());
            List<String> replicas = new ArrayList<>();
            o.get("replicas").forEach(r -> replicas.add(r.asText()));
            assertEquals(List.of("stg1", "stg2", "stg3"), replicas);
        }

        @Test
        void keysArePercentDecodedAndMayHoldSlashes() throws Exception {
            Answer a = call("GET", "/api/v1/objects/docs/" + q("ünïcödé key.md"));
            assertEquals(200, a.status(), () -> a.raw().body());
            assertEquals("ünïcödé key.md", a.json().get("key").asText());
            assertEquals(
                    200, call("GET", "/api/v1/objects/photos/2024/img-0.png").status());
        }

        @Test
        void unknownObjectOrBucketIs404() throws Exception {
            assertError(call("GET", "/api/v1/objects/docs/missing.txt"), 404, "NoSuchKey", null);
            assertError(call("GET", "/api/v1/objects/nobucket/x"), 404, "NoSuchBucket", null);
            assertError(call("GET", "/api/v1/objects/docs"), 404, "NotFound", null);
            assertError(call("PATCH", "/api/v1/objects/docs/readme.txt"), 405, "MethodNotAllowed", null);
        }
    }

    @Nested
    class UploadAndDelete {
        @Test
        void rawBodyUploadThenDelete() throws Exception {
            Answer up = call(HttpRequest.newBuilder(
                            URI.create(server.url() + "/api/v1/objects?bucket=empty&key=" + q("raw/one.bin")))
                    .header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofString("raw bytes")));
            assertEquals(201, up.status(), () -> up.raw().body());
            assertEquals(9, up.json().get("size").asLong());
            assertEquals(3, up.json().get("replicas").size());
            assertEquals(
                    "raw bytes",
                    server.s3()
                            .getObjectAsBytes(b -> b.bucket("empty").key("raw/one.bin"))
                            .asUtf8String());

            assertEquals(
                    204, call("DELETE", "/api/v1/objects/empty/raw/one.bin").status());
            assertError(call("DELETE", "/api/v1/objects/empty/raw/one.bin"), 404, "NoSuchKey", null);
            assertError(call("GET", "/api/v1/objects/empty/raw/one.bin"), 404, "NoSuchKey", null);
        }

        @Test
        void multipartFormUploadStreamsTheFilePart() throws Exception {
            byte[] file = new byte[300_000]; // larger than the reader's buffer
            for (int i = 0; i < file.length; i++) {
                file[i] = (byte) (i % 251);
            }
            // a boundary-like run inside the content must not end the part
            System.arraycopy("\r\n--XyZ".getBytes(StandardCharsets.US_ASCII), 0, file, 1000, 7);
            String boundary = "XyZ0123";
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"bucket\"\r\n\r\nempty\r\n"
                            + "--" + boundary
                            + "\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nform/file.bin\r\n"
                            + "--" + boundary
                            + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.bin\"\r\n"
                            + "Content-Type: application/x-test\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.writeBytes(file);
            body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            Answer up = call(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/objects"))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
            assertEquals(201, up.status(), () -> up.raw().body());
            assertEquals("form/file.bin", up.json().get("key").asText());
            assertEquals("application/x-test", up.json().get("content_type").asText());
            byte[] stored = server.s3()
                    .getObjectAsBytes(b -> b.bucket("empty").key("form/file.bin"))
                    .asByteArray();
            org.junit.jupiter.api.Assertions.assertArrayEquals(file, stored);
            assertEquals(
                    204, call("DELETE", "/api/v1/objects/empty/form/file.bin").status());
        }

        @Test
        void missingOrBadUploadParametersAreNamed() throws Exception {
            assertError(
                    call(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/objects?bucket=empty"))
                            .POST(HttpRequest.BodyPublishers.ofString("x"))),
                    400,
                    "InvalidArgument",
                    "key");
            assertError(
                    call(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/objects?key=k"))
                            .POST(HttpRequest.BodyPublishers.ofString("x"))),
                    400,
                    "InvalidArgument",
                    "bucket");
            assertError(
                    call(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/objects?bucket=nobucket&key=k"))
                            .POST(HttpRequest.BodyPublishers.ofString("x"))),
                    404,
                    "NoSuchBucket",
                    null);
            String noFile = "--b\r\nContent-Disposition: form-data; name=\"bucket\"\r\n\r\nempty\r\n--b--\r\n";
            assertError(
                    call(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/objects"))
                            .header("Content-Type", "multipart/form-data; boundary=b")
                            .POST(HttpRequest.BodyPublishers.ofString(noFile))),
                    400,
                    "InvalidArgument",
                    "file");
            String truncated = "--b\r\nContent-Disposition: form-data; name=\"bucket\"\r\n\r\nempty\r\n--b\r\n"
                    + "Content-Disposition: form-data; name=\"key\"\r\n\r\nk\r\n--b\r\n"
                    + "Content-Disposition: form-data; name=\"file\"\r\n\r\nno end";
            assertError(
                    call(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/objects"))
                            .header("Content-Type", "multipart/form-data; boundary=b")
                            .POST(HttpRequest.BodyPublishers.ofString(truncated))),
                    400,
                    "InvalidArgument",
                    "body");
            assertError(call("GET", "/api/v1/objects/empty/k"), 404, "NoSuchKey", null);
        }
    }

    @Nested
    class Search {
        @Test
        void substringAcrossBuckets() throws Exception {
            Answer a = call("GET", "/api/v1/search?q=img-3");
            assertEquals("substring", a.json().get("mode").asText());
            assertEquals(List.of("photos/2024/img-3.png"), keys(a.json()));
            // "[" is literal in both modes
            assertEquals(
                    List.of("docs/notes/a[1].txt"),
                    keys(call("GET", "/api/v1/search?q=" + q("a[1]")).json()));
        }

        @Test
        void globWithStarAndQuestionMarkMatchesTheWholeKey() throws Exception {
            Answer a = call("GET", "/api/v1/search?q=" + q("*.txt"));
            assertEquals("glob", a.json().get("mode").asText());
            assertEquals(List.of("docs/notes/a[1].txt", "docs/readme.txt"), keys(a.json()));
            assertEquals(
                    List.of("photos/2024/img-2.png"),
                    keys(call("GET", "/api/v1/search?q=" + q("2024/img-?.png") + "&min_size=300&max_size=300")
                            .json()));
            assertEquals(
                    List.of(),
                    keys(call("GET", "/api/v1/search?q=" + q("img-?")).json()));
            assertEquals(
                    List.of("docs/notes/a[1].txt"),
                    keys(call("GET", "/api/v1/search?q=" + q("*[1]*")).json()));
        }

        @Test
        void filtersByBucketContentTypeAndSizeAndPages() throws Exception {
            assertEquals(
                    List.of("docs/notes/a[1].txt", "docs/readme.txt"),
                    keys(call("GET", "/api/v1/search?q=e&content_type=text/plain")
                            .json()));
            assertEquals(
                    List.of("photos/2024/img-3.png", "photos/2024/img-4.png"),
                    keys(call("GET", "/api/v1/search?q=img&bucket=photos&min_size=400")
                            .json()));
            Answer first = call("GET", "/api/v1/search?q=img&max_size=300&limit=2");
            assertEquals(List.of("photos/2024/img-0.png", "photos/2024/img-1.png"), keys(first.json()));
            Answer second = call(
                    "GET",
                    "/api/v1/search?q=img&max_size=300&limit=2&cursor="
                            + first.json().get("next_cursor").asText());
            assertEquals(List.of("photos/2024/img-2.png"), keys(second.json()));
            assertFalse(second.json().get("truncated").asBoolean());
        }

        @Test
        void badParametersAreNamed() throws Exception {
            assertError(call("GET", "/api/v1/search"), 400, "InvalidArgument", "q");
            assertError(call("GET", "/api/v1/search?q=a&min_size=-1"), 400, "InvalidArgument", "min_size");
            assertError(call("GET", "/api/v1/search?q=a&max_size=big"), 400, "InvalidArgument", "max_size");
            assertError(call("GET", "/api/v1/search?q=a&min_size=10&max_size=5"), 400, "InvalidArgument", "max_size");
            assertError(call("GET", "/api/v1/search?q=a&limit=-3"), 400, "InvalidArgument", "limit");
            assertError(call("GET", "/api/v1/search?q=a&cursor=bm9uZXdsaW5l"), 400, "InvalidArgument", "cursor");
            assertError(call("POST", "/api/v1/search?q=a"), 405, "MethodNotAllowed", null);
        }
    }

    @Nested
    class Stats {
        @Test
        void countsObjectsPerBucketAndNodeAndRequestsByOperation() throws Exception {
            Answer a = call("GET", "/api/v1/stats");
            assertEquals(200, a.status(), () -> a.raw().body());
            JsonNode s = a.json();
            long photosBytes = 100 + 200 + 300 + 400 + 500;
            JsonNode buckets = s.get("buckets");
            assertEquals(3, buckets.size());
            assertEquals("photos", buckets.get(2).get("name").asText());
            assertEquals(5, buckets.get(2).get("objects").asLong());
            assertEquals(photosBytes, buckets.get(2).get("bytes").asLong());
            assertEquals(0, buckets.get(1).get("objects").asLong()); // "empty"
            long total = s.get("objects").get("count").asLong();
            assertTrue(total >= 8, a.raw().body());
            JsonNode node = s.get("nodes").get(0);
            assertEquals("stg1", node.get("id").asText());
            assertEquals("UP", node.get("state").asText());
            assertTrue(node.get("blobs").asLong() >= 8);
            assertTrue(node.get("disk_total_bytes").asLong() > 0);
            assertTrue(node.get("disk_usable_bytes").asLong() > 0);
            assertEquals(1000, s.get("queue").get("capacity").asLong());
            assertEquals(0, s.get("third_party").get("hits").asLong());
            boolean puts = false;
            for (JsonNode r : s.get("requests")) {
                puts |= r.get("operation").asText().equals("PutObject")
                        && r.get("status").asInt() == 200
                        && r.get("count").asLong() >= 8;
            }
            assertTrue(puts, a.raw().body());
            assertTrue(s.get("uptime_ms").asLong() >= 0);
            assertError(call("GET", "/api/v1/stats?x=1"), 400, "InvalidArgument", "x");
            assertError(call("DELETE", "/api/v1/stats"), 405, "MethodNotAllowed", null);
        }

        @Test
        void theJavaAccessorAgreesWithTheEndpoint() {
            var stats = server.server().stats();
            var photos = stats.buckets().stream()
                    .filter(b -> b.name().equals("photos"))
                    .findFirst()
                    .orElseThrow();
            assertEquals(5, photos.objects());
            assertEquals(3, stats.nodes().size());
            assertTrue(stats.nodes().get(0).bytes() >= 1500);
        }
    }

    @Nested
    class Health {
        @Test
        void upWithNodesAndDatabase() throws Exception {
            Answer a = call("GET", "/health");
            assertEquals(200, a.status());
            assertEquals("UP", a.json().get("status").asText());
            assertEquals(3, a.json().get("nodes").size());
            assertEquals(200, call("HEAD", "/health").status());
            assertError(call("POST", "/health"), 405, "MethodNotAllowed", null);
        }
    }
}
