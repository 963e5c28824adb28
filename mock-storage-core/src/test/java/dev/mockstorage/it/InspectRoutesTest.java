package dev.mockstorage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mockstorage.internal.remote.HttpAdminClient;
import dev.mockstorage.testing.RawHttp;
import dev.mockstorage.thirdparty.Match;
import dev.mockstorage.thirdparty.Reply;
import dev.mockstorage.thirdparty.ThirdPartyScript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/** The admin routes the web console reads (and anyone else may): info, buckets, folders, replicas, versions, tasks. */
class InspectRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(RawHttp.Response r, int status) throws IOException {
        assertEquals(status, r.status(), r::toString);
        return JSON.readTree(r.body());
    }

    @Test
    void infoDescribesTheSettingsButNoSecret(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(
                dir,
                b -> b.strictAuth()
                        .credentials("console-key", "very-secret-value")
                        .setting("third_party.headers", "X-Token=also-secret")
                        .setting("storage.write_quorum", "2"))) {
            json(server.raw().get("/api/v1/info"), 403); // strict mode: the admin API takes signed requests only
            RawHttp.Response r = SignedRequests.sign(
                            server.endpoint(),
                            "GET",
                            "/api/v1/info",
                            java.util.Map.of(),
                            new byte[0],
                            "console-key",
                            "very-secret-value",
                            java.time.Clock.systemUTC(),
                            SignedRequests.Payload.UNSIGNED)
                    .send(server.raw());
            JsonNode info = json(r, 200);
            assertEquals("strict", info.at("/auth/mode").asText());
            assertFalse(info.get("console").asBoolean(), "off in-process");
            assertEquals(3, info.at("/storage/nodes").asInt());
            assertEquals(2, info.at("/storage/write_quorum").asInt());
            assertEquals("scripted", info.at("/third_party/mode").asText());
            assertEquals("X-Token", info.at("/third_party/header_names/0").asText());
            assertFalse(
                    r.bodyText().contains("very-secret-value")
                            || r.bodyText().contains("also-secret")
                            || r.bodyText().contains("console-key"),
                    r.bodyText());
        }
    }

    @Test
    void bucketsListTheirFiguresAndDeletingOneThatIsNotEmptyIsS3sError(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir)) {
            server.createBucket("full");
            server.createBucket("empty");
            server.s3().putObject(b -> b.bucket("full").key("a"), RequestBody.fromString("12345"));
            server.s3().putObject(b -> b.bucket("full").key("b"), RequestBody.fromString("678"));
            JsonNode buckets = json(server.raw().get("/api/v1/buckets"), 200).get("buckets");
            assertEquals("empty", buckets.get(0).get("name").asText());
            assertEquals(0, buckets.get(0).get("objects").asLong());
            assertEquals(2, buckets.get(1).get("objects").asLong());
            assertEquals(8, buckets.get(1).get("bytes").asLong());
            assertTrue(buckets.get(1).get("versioning").isNull());

            assertEquals(
                    "BucketNotEmpty",
                    json(server.raw().send("DELETE", "/api/v1/buckets/full"), 409)
                            .get("error")
                            .asText());
            assertEquals(
                    "NoSuchBucket",
                    json(server.raw().send("DELETE", "/api/v1/buckets/none"), 404)
                            .get("error")
                            .asText());
            assertEquals(
                    204, server.raw().send("DELETE", "/api/v1/buckets/empty").status());
            assertEquals(
                    1,
                    json(server.raw().get("/api/v1/buckets"), 200)
                            .get("buckets")
                            .size());
        }
    }

    @Test
    void aDelimiterRollsKeysUpIntoFoldersPageByPage(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir)) {
            server.createBucket("tree");
            for (String key : List.of("a/1", "a/2", "b/x/1", "c", "d", "e/1")) {
                server.s3().putObject(b -> b.bucket("tree").key(key), RequestBody.fromString(key));
            }
            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                JsonNode page = json(
                        server.raw()
                                .get("/api/v1/objects?bucket=tree&delimiter=/&limit=2"
                                        + (cursor == null ? "" : "&cursor=" + cursor)),
                        200);
                page.get("prefixes").forEach(p -> seen.add(p.asText()));
                page.get("objects").forEach(o -> seen.add(o.get("key").asText()));
                cursor = page.get("next_cursor").isNull()
                        ? null
                        : page.get("next_cursor").asText();
                pages++;
            } while (cursor != null);
            assertEquals(
                    List.of("a/", "b/", "c", "d", "e/"), seen.stream().sorted().toList());
            assertEquals(3, pages);
            JsonNode inB = json(server.raw().get("/api/v1/objects?bucket=tree&delimiter=/&prefix=b/"), 200);
            assertEquals("b/x/", inB.get("prefixes").get(0).asText());
            assertEquals(
                    "InvalidArgument",
                    json(server.raw().get("/api/v1/objects?delimiter=/"), 400)
                            .get("error")
                            .asText());
        }
    }

    @Test
    void replicasSayPerNodeWhetherTheCopyIsThereAndIntact(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir, b -> b.nodes(4))) {
            server.createBucket("rep");
            server.s3().putObject(b -> b.bucket("rep").key("dir/k"), RequestBody.fromString("replicated".repeat(100)));
            server.server().nodes().corrupt("rep", "dir/k", "stg1");
            String blob = json(server.raw().get("/api/v1/replicas/rep/dir/k"), 200)
                    .get("blob")
                    .asText();
            try (var files = Files.walk(dir.resolve("stg2"))) {
                for (Path p : files.filter(p -> p.getFileName().toString().startsWith(blob))
                        .toList()) {
                    Files.delete(p);
                }
            }
            server.server().nodes().down("stg4");
            JsonNode r =
                    json(server.raw().get("/api/v1/replicas/rep/dir/k"), 200).get("replicas");
            assertEquals("WRONG_CONTENT", r.get(0).get("state").asText());
            assertTrue(r.get(0).get("present").asBoolean());
            assertFalse(r.get(0).get("intact").asBoolean());
            assertEquals("MISSING", r.get(1).get("state").asText());
            assertFalse(r.get(1).get("present").asBoolean());
            assertEquals("INTACT", r.get(2).get("state").asText());
            assertTrue(r.get(3).get("state").isNull(), "a node that is down is not looked at");
            assertFalse(r.get(3).get("node_up").asBoolean());
            assertEquals(
                    "NoSuchKey",
                    json(server.raw().get("/api/v1/replicas/rep/none"), 404)
                            .get("error")
                            .asText());
        }
    }

    @Test
    void versionsOfOneKeyNewestFirstWithDeleteMarkers(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir)) {
            server.createBucket("ver");
            server.s3().putBucketVersioning(b -> b.bucket("ver").versioningConfiguration(c -> c.status("Enabled")));
            server.s3().putObject(b -> b.bucket("ver").key("k"), RequestBody.fromString("one"));
            server.s3().putObject(b -> b.bucket("ver").key("k"), RequestBody.fromString("two!"));
            server.s3().putObject(b -> b.bucket("ver").key("k2"), RequestBody.fromString("other key"));
            server.s3().deleteObject(b -> b.bucket("ver").key("k"));
            JsonNode v = json(server.raw().get("/api/v1/versions/ver/k"), 200);
            assertEquals("Enabled", v.get("versioning").asText());
            JsonNode list = v.get("versions");
            assertEquals(3, list.size(), v::toString);
            assertTrue(list.get(0).get("delete_marker").asBoolean());
            assertTrue(list.get(0).get("latest").asBoolean());
            assertEquals(4, list.get(1).get("size").asLong());
            assertEquals(3, list.get(2).get("size").asLong());
            assertFalse(v.get("truncated").asBoolean());
        }
    }

    @Test
    void tasksListTheOpenOnesWithTheirKindAndPayload(@TempDir Path dir) throws IOException {
        try (TestServer server = TestServer.start(dir, b -> b.setting("queue.workers", "0"))) {
            server.createBucket("tasks");
            server.s3().putObject(b -> b.bucket("tasks").key("k"), RequestBody.fromString("x"));
            server.s3().deleteObject(b -> b.bucket("tasks").key("k"));
            JsonNode tasks = json(server.raw().get("/api/v1/tasks?state=open"), 200);
            assertTrue(tasks.get("open").asLong() >= 2, tasks::toString);
            assertEquals(0, tasks.get("failed").asLong());
            List<String> kinds = new ArrayList<>();
            tasks.get("tasks").forEach(t -> kinds.add(t.get("kind").asText()));
            assertTrue(kinds.contains("delete-blob") && kinds.contains("upload-completed"), kinds::toString);
            assertEquals("pending", tasks.get("tasks").get(0).get("state").asText());
            assertEquals(
                    "state",
                    json(server.raw().get("/api/v1/tasks?state=done"), 400)
                            .get("parameter")
                            .asText());
        }
    }

    @Test
    void oneScriptIsRemovedByIdInProcessAndOverTheAdminApi(@TempDir Path dir) {
        try (TestServer server = TestServer.start(dir)) {
            var thirdParty = server.server().thirdParty();
            thirdParty.script(
                    ThirdPartyScript.when(Match.get("b", "one"))
                            .respond(Reply.ok("1"))
                            .withId("one"),
                    ThirdPartyScript.when(Match.get("b", "two"))
                            .respond(Reply.ok("2"))
                            .withId("two/with slash"),
                    ThirdPartyScript.when(Match.get("b", "three"))
                            .respond(Reply.ok("3"))
                            .withId("three"));
            thirdParty.remove("one");
            var remote = new HttpAdminClient(server.endpoint()).thirdParty();
            remote.remove("two/with slash");
            assertEquals(
                    List.of("three"),
                    thirdParty.scripts().stream().map(ThirdPartyScript::id).toList());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> remote.remove("none"));
            assertTrue(e.getMessage().contains("three"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> thirdParty.remove("none"));
        }
    }
}
