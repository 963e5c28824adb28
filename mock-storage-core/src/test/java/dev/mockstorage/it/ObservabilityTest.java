package dev.mockstorage.it;

import static dev.mockstorage.journal.RequestPattern.anyRequest;
import static dev.mockstorage.journal.RequestPattern.getObject;
import static dev.mockstorage.journal.RequestPattern.operation;
import static dev.mockstorage.journal.RequestPattern.putObject;
import static dev.mockstorage.verification.Times.atLeast;
import static dev.mockstorage.verification.Times.exactly;
import static dev.mockstorage.verification.Times.never;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mockstorage.journal.RecordedRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** The request journal, /metrics and the JSON access log, driven by real S3 traffic from the AWS SDK. */
class ObservabilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private HttpResponse<String> get(TestServer s, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(s.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void journalRecordsS3RequestsAndVerifies() throws Exception {
        try (TestServer s = TestServer.start(dir.resolve("data"))) {
            s.createBucket("bkt");
            s.s3().putObject(r -> r.bucket("bkt").key("k").contentType("text/plain"), RequestBody.fromString("hello"));
            assertEquals(
                    "hello",
                    s.s3().getObjectAsBytes(r -> r.bucket("bkt").key("k")).asUtf8String());
            assertThrows(
                    NoSuchKeyException.class,
                    () -> s.s3().getObjectAsBytes(r -> r.bucket("bkt").key("gone")));
            get(s, "/api/v1/stats"); // admin calls are not journaled

            var journal = s.server().requests();
            journal.verify(exactly(1), putObject("bkt", "k"));
            journal.verify(exactly(1), getObject("bkt", "k").withStatus(200));
            journal.verify(exactly(1), getObject("bkt", "gone").withStatus(404));
            journal.verify(never(), operation("DeleteObject"));
            journal.verify(exactly(4), anyRequest());

            RecordedRequest put = journal.find(putObject("bkt", "k")).get(0);
            assertEquals("PUT", put.method());
            assertEquals(200, put.status());
            assertEquals(5, put.bytesIn());
            assertEquals(0, put.bytesOut());
            assertEquals("text/plain", put.headers().get("content-type"));
            assertNotNull(put.requestId());
            assertTrue(put.durationNanos() > 0);
            RecordedRequest get = journal.find(getObject("bkt", "k")).get(0);
            assertEquals(5, get.bytesOut());
            assertNull(get.errorCode());
            assertEquals(
                    "NoSuchKey", journal.find(getObject("bkt", "gone")).get(0).errorCode());

            AssertionError e =
                    assertThrows(AssertionError.class, () -> journal.verify(exactly(1), putObject("bkt", "other")));
            assertTrue(
                    e.getMessage().contains("Expected exactly 1 request(s) matching [PutObject bkt/other] but got 0"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("Closest request: PutObject bkt/k -> 200"), e.getMessage());
            assertTrue(e.getMessage().contains("Requests received (4):"), e.getMessage());
            assertTrue(e.getMessage().contains("GetObject bkt/gone -> 404 NoSuchKey"), e.getMessage());

            // the same over the admin API
            HttpResponse<String> r = get(s, "/api/v1/requests?operation=GetObject");
            assertEquals(200, r.statusCode());
            JsonNode body = JSON.readTree(r.body());
            assertEquals(2, body.get("count").asInt());
            JsonNode first = body.get("requests").get(0);
            assertEquals("bkt", first.get("bucket").asText());
            assertEquals("k", first.get("key").asText());
            assertEquals(5, first.get("bytes_out").asLong());
            assertEquals(
                    1,
                    JSON.readTree(get(s, "/api/v1/requests?status=404").body())
                            .get("count")
                            .asInt());
            assertEquals(
                    1,
                    JSON.readTree(get(s, "/api/v1/requests?limit=1").body())
                            .get("count")
                            .asInt());
            assertEquals(
                    "status",
                    JSON.readTree(get(s, "/api/v1/requests?status=abc").body())
                            .get("parameter")
                            .asText());
            assertEquals(
                    204,
                    http.send(
                                    HttpRequest.newBuilder(URI.create(s.url() + "/api/v1/requests"))
                                            .DELETE()
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode());
            journal.verify(never(), anyRequest());
            assertEquals(
                    0,
                    JSON.readTree(get(s, "/api/v1/requests").body())
                            .get("count")
                            .asInt());
        }
    }

    @Test
    void journalKeepsOnlyTheLastNAndCanBeTurnedOff() throws Exception {
        try (TestServer s = TestServer.start(dir.resolve("small"), b -> b.setting("journal.size", "3"))) {
            s.createBucket("bkt");
            for (int i = 0; i < 5; i++) {
                int n = i;
                s.s3().putObject(r -> r.bucket("bkt").key("k" + n), RequestBody.fromString("x"));
            }
            List<RecordedRequest> all = s.server().requests().all();
            assertEquals(
                    List.of("k2", "k3", "k4"),
                    all.stream().map(RecordedRequest::key).toList());
        }
        try (TestServer s = TestServer.start(dir.resolve("off"), b -> b.setting("journal.size", "0"))) {
            s.createBucket("bkt");
            IllegalStateException e = assertThrows(
                    IllegalStateException.class, () -> s.server().requests().verify(atLeast(1), anyRequest()));
            assertTrue(e.getMessage().contains("journal.size"), e.getMessage());
            HttpResponse<String> r = get(s, "/api/v1/requests");
            assertEquals(404, r.statusCode());
            assertTrue(r.body().contains("journal.size"), r.body());
        }
    }

    /** One sample line of the text format 0.0.4: name, optional labels, a float value. */
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*)\\})? "
                    + "(-?[0-9.eE+-]+|NaN|\\+Inf|-Inf)( -?[0-9]+)?");

    private static final Pattern META = Pattern.compile("# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)");

    /** Parses the whole scrape strictly: every line is HELP, TYPE or a sample of a declared family. */
    static Map<String, Double> parse(String text) {
        Map<String, Double> samples = new HashMap<>();
        Set<String> families = new HashSet<>();
        assertTrue(text.endsWith("\n"), "the exposition ends with a line break");
        for (String line : text.split("\n")) {
            Matcher meta = META.matcher(line);
            if (meta.matches()) {
                if (meta.group(1).equals("TYPE")) {
                    assertTrue(
                            Set.of(
                                            "counter",
                                            "gauge",
                                            "histogram",
                                            "summary",
                                            "untyped",
                                            "info",
                                            "stateset",
                                            "gaugehistogram",
                                            "unknown")
                                    .contains(meta.group(3)),
                            line);
                    families.add(meta.group(2));
                }
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertTrue(m.matches(), () -> "not a valid sample line: '" + line + "'");
            String name = m.group(1);
            boolean declared = families.stream().anyMatch(f -> name.equals(f) || name.startsWith(f + "_"));
            assertTrue(declared, () -> "sample of an undeclared family: " + line);
            samples.put(
                    name + (m.group(2) == null ? "" : m.group(2)),
                    Double.parseDouble(m.group(4).replace("+Inf", "Infinity")));
        }
        return samples;
    }

    @Test
    void metricsScrapeIsValidPrometheusTextWithRequestStorageQueueAndJvmFigures() throws Exception {
        try (TestServer s = TestServer.start(dir.resolve("m"))) {
            s.createBucket("bkt");
            for (int i = 0; i < 3; i++) {
                int n = i;
                s.s3().putObject(r -> r.bucket("bkt").key("k" + n), RequestBody.fromString("12345"));
            }
            s.s3().getObjectAsBytes(r -> r.bucket("bkt").key("k0"));
            HttpResponse<String> r = get(s, "/metrics");
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
            Map<String, Double> m = parse(r.body());
            assertEquals(3.0, m.get("mockstorage_requests_total{operation=\"PutObject\",status=\"200\"}"));
            assertEquals(1.0, m.get("mockstorage_requests_total{operation=\"GetObject\",status=\"200\"}"));
            assertEquals(
                    3.0, m.get("mockstorage_request_duration_seconds_count{operation=\"PutObject\",status=\"200\"}"));
            assertEquals(
                    3.0,
                    m.get(
                            "mockstorage_request_duration_seconds_bucket{operation=\"PutObject\",status=\"200\",le=\"+Inf\"}"));
            assertEquals(15.0, m.get("mockstorage_received_bytes_total{operation=\"PutObject\"}"));
            assertEquals(5.0, m.get("mockstorage_sent_bytes_total{operation=\"GetObject\"}"));
            assertEquals(3.0, m.get("mockstorage_objects{bucket=\"bkt\"}"));
            assertEquals(15.0, m.get("mockstorage_stored_bytes{bucket=\"bkt\"}"));
            assertEquals(1.0, m.get("mockstorage_node_up{node=\"stg1\"}"));
            assertEquals(3.0, m.get("mockstorage_node_blobs{node=\"stg2\"}"));
            assertEquals(15.0, m.get("mockstorage_node_bytes{node=\"stg3\"}"));
            assertTrue(m.get("mockstorage_node_disk_usable_bytes{node=\"stg1\"}") > 0);
            assertEquals(1000.0, m.get("mockstorage_queue_capacity"));
            assertNotNull(m.get("mockstorage_queue_depth"));
            assertNotNull(m.get("mockstorage_queue_tasks_total{outcome=\"done\"}"));
            assertEquals(0.0, m.get("mockstorage_thirdparty_fetches_total{outcome=\"hit\"}"));
            assertTrue(
                    m.keySet().stream().anyMatch(k -> k.startsWith("jvm_memory_used_bytes")),
                    "JVM metrics are included");
            // every metric the Grafana dashboard queries exists (samples of histograms end in _bucket)
            String dashboard = Files.readString(Path.of("..", "docs", "grafana-dashboard.json"));
            JSON.readTree(dashboard); // importable JSON
            assertTrue(dashboard.contains("${DS_PROMETHEUS}"));
            Matcher used = Pattern.compile("(mockstorage_[a-z_]+|jvm_[a-z_]+)").matcher(dashboard);
            while (used.find()) {
                String name = used.group(1);
                String family = name.replaceAll("_(bucket|count|sum)$", "");
                assertTrue(
                        m.keySet().stream().anyMatch(k -> k.startsWith(name + "{") || k.equals(name))
                                || r.body().contains("# TYPE " + family + " "),
                        "the dashboard queries " + name + ", which /metrics does not serve");
            }
            // a second scrape sees the first one counted under its own operation
            Map<String, Double> again = parse(get(s, "/metrics").body());
            assertEquals(1.0, again.get("mockstorage_requests_total{operation=\"Metrics\",status=\"200\"}"));
        }
    }

    @Test
    void metricsCanBeTurnedOff() throws Exception {
        try (TestServer s = TestServer.start(dir.resolve("nom"), b -> b.setting("metrics.enabled", "false"))) {
            HttpResponse<String> r = get(s, "/metrics");
            assertEquals(404, r.statusCode());
            assertTrue(r.body().contains("metrics.enabled"), r.body());
            assertEquals(List.of(), s.server().stats().requests());
        }
    }

    @Test
    void accessLogWritesOneJsonLinePerRequestWithTheDocumentedFields() throws Exception {
        Path log = dir.resolve("logs/access.log");
        try (TestServer s = TestServer.start(dir.resolve("log"), b -> b.setting("log.access", log.toString()))) {
            s.createBucket("bkt");
            s.s3().putObject(r -> r.bucket("bkt").key("dir/ké y"), RequestBody.fromString("hello"));
            assertThrows(
                    NoSuchKeyException.class,
                    () -> s.s3().getObjectAsBytes(r -> r.bucket("bkt").key("nope")));
            get(s, "/health");
        }
        List<String> lines = Files.readAllLines(log);
        assertEquals(4, lines.size(), String.join("\n", lines));
        List<JsonNode> entries = new ArrayList<>();
        for (String line : lines) {
            JsonNode n = JSON.readTree(line);
            List<String> fields = new ArrayList<>();
            n.fieldNames().forEachRemaining(fields::add);
            assertEquals(
                    List.of(
                            "time",
                            "request_id",
                            "remote_addr",
                            "api",
                            "method",
                            "operation",
                            "bucket",
                            "key",
                            "status",
                            "error",
                            "bytes_in",
                            "bytes_out",
                            "duration_ms"),
                    fields,
                    line);
            entries.add(n);
        }
        JsonNode put = entries.get(1);
        assertEquals("PutObject", put.get("operation").asText());
        assertEquals("dir/ké y", put.get("key").asText());
        assertEquals(200, put.get("status").asInt());
        assertEquals(5, put.get("bytes_in").asLong());
        assertEquals("127.0.0.1", put.get("remote_addr").asText());
        assertEquals("s3", put.get("api").asText());
        assertTrue(put.get("error").isNull());
        assertTrue(put.get("duration_ms").asDouble() > 0);
        java.time.Instant.parse(put.get("time").asText());
        JsonNode miss = entries.get(2);
        assertEquals(404, miss.get("status").asInt());
        assertEquals("NoSuchKey", miss.get("error").asText());
        assertTrue(miss.get("bytes_out").asLong() > 0);
        JsonNode health = entries.get(3);
        assertEquals("admin", health.get("api").asText());
        assertEquals("Health", health.get("operation").asText());
        assertTrue(health.get("request_id").asText().startsWith("A"));
    }

    @Test
    void badAccessLogSettingFailsAtStartNamingIt() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> TestServer.start(dir.resolve("bad"), b -> b.setting("journal.size", "-1")));
        assertTrue(e.getMessage().contains("journal.size"), e.getMessage());
    }
}
