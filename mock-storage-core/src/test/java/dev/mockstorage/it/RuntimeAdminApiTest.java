package dev.mockstorage.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mockstorage.internal.contract.AdminRoute;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The runtime routes of the admin API (/work contract: await-idle, reset, buckets, nodes) with the
 * JDK HttpClient, S3 traffic with the AWS SDK. One server for the class; each test uses its own bucket.
 */
class RuntimeAdminApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    // write quorum 2 of 3: corruptingAReplicaTheNodeNeverGotIs404 writes while a node is down
    @StartStop
    private static final TestServer server = TestServer.create(b -> b.setting("storage.write_quorum", "2"));

    private record Answer(int status, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }

        String error() throws IOException {
            return json().path("error").asText();
        }
    }

    private static Answer call(TestServer ts, String method, String path) throws IOException, InterruptedException {
        return call(ts, method, path, HttpRequest.BodyPublishers.noBody(), null);
    }

    private static Answer call(TestServer ts, String method, String path, HttpRequest.BodyPublisher body, String type)
            throws IOException, InterruptedException {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(ts.url() + path)).method(method, body);
        if (type != null) {
            b.header("Content-Type", type);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    private static JsonNode node(String id) throws Exception {
        for (JsonNode n : call(server, "GET", "/api/v1/nodes").json()) {
            if (n.path("id").asText().equals(id)) {
                return n;
            }
        }
        throw new AssertionError("no node " + id);
    }

    @Test
    void nodesAreListedWithStateReasonAndDelay() throws Exception {
        Answer a = call(server, "GET", "/api/v1/nodes");
        assertEquals(200, a.status());
        JsonNode nodes = a.json();
        assertEquals(3, nodes.size());
        JsonNode first = nodes.get(0);
        assertEquals("stg1", first.path("id").asText());
        assertTrue(first.path("up").asBoolean());
        assertTrue(first.has("reason") && first.path("reason").isNull());
        assertEquals(0, first.path("delay_ms").asInt());
    }

    @Test
    void downAndUpChangeTheNodeAndHealth() throws Exception {
        server.createBucket("down-up");
        server.s3().putObject(b -> b.bucket("down-up").key("k"), RequestBody.fromString("kept"));
        assertEquals(204, call(server, "POST", "/api/v1/nodes/stg1/down").status());
        try {
            JsonNode stg1 = node("stg1");
            assertFalse(stg1.path("up").asBoolean());
            assertTrue(stg1.path("reason").asText().contains("fault injection"));
            Answer health = call(server, "GET", "/health");
            assertEquals("DEGRADED", health.json().path("status").asText());
            assertEquals(
                    "kept",
                    server.s3()
                            .getObjectAsBytes(b -> b.bucket("down-up").key("k"))
                            .asUtf8String());
        } finally {
            assertEquals(204, call(server, "POST", "/api/v1/nodes/stg1/up").status());
        }
        assertTrue(node("stg1").path("up").asBoolean());
        assertEquals("UP", call(server, "GET", "/health").json().path("status").asText());
    }

    @Test
    void unknownNodesAre404NoSuchNode() throws Exception {
        for (String[] c : new String[][] {
            {"POST", "/api/v1/nodes/stg9/down"},
            {"POST", "/api/v1/nodes/stg9/up"},
            {"PUT", "/api/v1/nodes/stg9/delay?ms=5"},
            {"POST", "/api/v1/nodes/stg9/corrupt?bucket=b&key=k"}
        }) {
            Answer a = call(server, c[0], c[1]);
            assertEquals(404, a.status(), c[1]);
            assertEquals("NoSuchNode", a.error(), c[1]);
            assertTrue(a.json().path("message").asText().contains("stg1, stg2, stg3"), a.body());
        }
        assertEquals(404, call(server, "POST", "/api/v1/nodes/stg1/explode").status());
    }

    @Test
    void delayIsSetInMillisecondsAndValidated() throws Exception {
        assertEquals(204, call(server, "PUT", "/api/v1/nodes/stg3/delay?ms=40").status());
        assertEquals(40, node("stg3").path("delay_ms").asInt());
        assertEquals(204, call(server, "PUT", "/api/v1/nodes/stg3/delay?ms=0").status());
        assertEquals(0, node("stg3").path("delay_ms").asInt());
        for (String bad : new String[] {"abc", "-1", "1.5", ""}) {
            Answer a = call(server, "PUT", "/api/v1/nodes/stg3/delay?ms=" + bad);
            assertEquals(400, a.status(), bad);
            assertEquals("ms", a.json().path("parameter").asText(), a.body());
        }
        assertEquals(400, call(server, "PUT", "/api/v1/nodes/stg3/delay").status(), "ms is required");
    }

    @Test
    void corruptDamagesOneReplicaWhichReadsNeverServe() throws Exception {
        server.createBucket("corrupt");
        byte[] content = new byte[10_000];
        new Random(7).nextBytes(content);
        server.s3().putObject(b -> b.bucket("corrupt").key("a b.bin"), RequestBody.fromBytes(content));
        assertEquals(
                204,
                call(server, "POST", "/api/v1/nodes/stg1/corrupt?bucket=corrupt&key=a%20b.bin")
                        .status());
        assertArrayEquals(
                content,
                server.s3()
                        .getObjectAsBytes(b -> b.bucket("corrupt").key("a b.bin"))
                        .asByteArray());

        Answer noBucket = call(server, "POST", "/api/v1/nodes/stg1/corrupt?bucket=nothere&key=k");
        assertEquals(404, noBucket.status());
        assertEquals("NoSuchBucket", noBucket.error());
        Answer noKey = call(server, "POST", "/api/v1/nodes/stg1/corrupt?bucket=corrupt&key=nothere");
        assertEquals(404, noKey.status());
        assertEquals("NoSuchKey", noKey.error());
        assertEquals(
                400,
                call(server, "POST", "/api/v1/nodes/stg1/corrupt?bucket=corrupt")
                        .status(),
                "key is required");
    }

    @Test
    void corruptingAReplicaTheNodeNeverGotIs404() throws Exception {
        server.createBucket("no-replica");
        assertEquals(204, call(server, "POST", "/api/v1/nodes/stg2/down").status());
        try {
            server.s3().putObject(b -> b.bucket("no-replica").key("k"), RequestBody.fromString("x"));
            // asked while stg2 is down: once up, the replica it missed is repaired
            Answer a = call(server, "POST", "/api/v1/nodes/stg2/corrupt?bucket=no-replica&key=k");
            assertEquals(404, a.status());
            assertTrue(a.json().path("message").asText().contains("no copy"), a.body());
        } finally {
            assertEquals(204, call(server, "POST", "/api/v1/nodes/stg2/up").status());
        }
    }

    @Test
    void bucketsArePutIdempotentlyAndBadNamesAre400() throws Exception {
        assertEquals(204, call(server, "PUT", "/api/v1/buckets/made-by-admin").status());
        assertEquals(204, call(server, "PUT", "/api/v1/buckets/made-by-admin").status(), "already there");
        server.s3().headBucket(b -> b.bucket("made-by-admin"));
        Answer bad = call(server, "PUT", "/api/v1/buckets/Bad_Name");
        assertEquals(400, bad.status());
        assertEquals("InvalidBucketName", bad.error());
    }

    @Test
    void aRawUploadIsStoredThroughTheObjectsEndpoint() throws Exception {
        server.createBucket("raw-upload");
        Answer a = call(
                server,
                "POST",
                "/api/v1/objects?bucket=raw-upload&key=r.txt",
                HttpRequest.BodyPublishers.ofString("raw body"),
                "text/plain");
        assertEquals(201, a.status());
        var got = server.s3().getObjectAsBytes(b -> b.bucket("raw-upload").key("r.txt"));
        assertEquals("raw body", got.asUtf8String());
        assertEquals("text/plain", got.response().contentType());
    }

    @Test
    void awaitIdleAnswers204AndValidatesTheTimeout() throws Exception {
        assertEquals(
                204, call(server, "POST", "/api/v1/await-idle?timeout_ms=10000").status());
        assertEquals(204, call(server, "POST", "/api/v1/await-idle").status(), "timeout_ms is optional");
        Answer bad = call(server, "POST", "/api/v1/await-idle?timeout_ms=soon");
        assertEquals(400, bad.status());
        assertEquals("timeout_ms", bad.json().path("parameter").asText());
    }

    @Test
    void awaitIdleIs409NotIdleListingTheOpenTasksWhenTheQueueDoesNotDrain(@TempDir Path own) throws Exception {
        try (TestServer paused = TestServer.start(own, b -> b.setting("queue.workers", "0"))) {
            paused.createBucket("bkt");
            paused.s3().putObject(b -> b.bucket("bkt").key("k"), RequestBody.fromString("x"));
            Answer a = call(paused, "POST", "/api/v1/await-idle?timeout_ms=50");
            assertEquals(409, a.status());
            assertEquals("NotIdle", a.error());
            assertTrue(a.json().path("message").asText().contains("upload-completed"), a.body());
        }
    }

    @Test
    void resetEmptiesTheStore(@TempDir Path own) throws Exception {
        try (TestServer ts = TestServer.start(own)) {
            ts.createBucket("bkt");
            ts.s3().putObject(b -> b.bucket("bkt").key("k"), RequestBody.fromString("x"));
            assertEquals(204, call(ts, "PUT", "/api/v1/nodes/stg1/delay?ms=3").status());
            assertEquals(204, call(ts, "POST", "/api/v1/reset").status());
            assertEquals(0, ts.s3().listBuckets().buckets().size());
            assertEquals(
                    0, call(ts, "GET", "/api/v1/objects").json().path("count").asInt());
            assertEquals(
                    0,
                    call(ts, "GET", "/api/v1/nodes")
                            .json()
                            .get(0)
                            .path("delay_ms")
                            .asInt());
            assertEquals(
                    204, call(ts, "POST", "/api/v1/await-idle?timeout_ms=10000").status());
            assertEquals(0, ts.server().stats().nodes().get(0).blobs());
        }
    }

    @Test
    void theRuntimeRoutesAreInTheRouteTable() {
        var routes = AdminRoute.all();
        for (String r : new String[] {
            "POST /api/v1/await-idle",
            "POST /api/v1/reset",
            "PUT /api/v1/buckets/{bucket}",
            "GET /api/v1/nodes",
            "POST /api/v1/nodes/{node}/down",
            "POST /api/v1/nodes/{node}/up",
            "POST /api/v1/nodes/{node}/read-only",
            "POST /api/v1/nodes/{node}/corrupt",
            "PUT /api/v1/nodes/{node}/delay"
        }) {
            assertTrue(routes.contains(r), r + " in " + routes);
        }
    }
}
