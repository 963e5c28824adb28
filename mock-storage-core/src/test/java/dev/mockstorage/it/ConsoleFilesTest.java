package dev.mockstorage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.testing.RawHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The console's files over raw HTTP (request targets exactly as written, nothing normalised): types,
 * caching, no way out of the console's resources, never in the request journal, never in S3's way.
 */
class ConsoleFilesTest {
    @StartStop
    private static final TestServer server = TestServer.create(b -> b.setting("console.enabled", "true"));

    @Test
    void theBarePathRedirectsToTheIndex() {
        RawHttp.Response r = server.raw().get("/_console");
        assertEquals(308, r.status());
        assertEquals("/_console/", r.header("location"));
        RawHttp.Response index = server.raw().get("/_console/");
        assertEquals(200, index.status());
        assertEquals("text/html; charset=utf-8", index.header("content-type"));
        assertTrue(index.bodyText().contains("<script type=\"module\" src=\"js/app.js\">"), index.bodyText());
    }

    @Test
    void filesHaveTheirTypeAStrongEtagAndAPolicyThatAllowsOnlyTheConsolesOwnCode() {
        Map<String, String> types = Map.of(
                "/_console/console.css",
                "text/css; charset=utf-8",
                "/_console/js/app.js",
                "text/javascript; charset=utf-8",
                "/_console/js/pages/overview.js",
                "text/javascript; charset=utf-8",
                "/_console/favicon.svg",
                "image/svg+xml");
        types.forEach((path, type) -> {
            RawHttp.Response r = server.raw().get(path);
            assertEquals(200, r.status(), path);
            assertEquals(type, r.header("content-type"), path);
            assertEquals("nosniff", r.header("x-content-type-options"));
            assertTrue(r.header("content-security-policy").contains("script-src 'self'"), path);
            assertEquals("no-cache", r.header("cache-control"), path);
            assertTrue(r.header("etag").matches("\"[0-9a-f]{32}\""), r.header("etag"));
        });
        String etag = server.raw().get("/_console/js/app.js").header("etag");
        RawHttp.Response again =
                server.raw().send("GET", "/_console/js/app.js", Map.of("If-None-Match", etag), new byte[0]);
        assertEquals(304, again.status());
        assertEquals(0, again.body().length);
        assertEquals(200, server.raw().get("/_console/?anything=1").status());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/_console/../config.json",
                "/_console/..%2fconfig.json",
                "/_console/%2e%2e/config.json",
                "/_console/%2e%2e%2f%2e%2e%2fpom.xml",
                "/_console/js/../../../../etc/passwd",
                "/_console/..\\config.json",
                "/_console/./index.html",
                "/_console//index.html",
                "/_console/js",
                "/_console/js/",
                "/_console/INDEX.HTML",
                "/_console/index.html%00.js",
                "/_console/%69ndex.html",
                "/_console/../dev/mockstorage/MockStorageServer.class",
                "/_console/../../META-INF/MANIFEST.MF",
                "/_console/.hidden.js",
                "/_console/js/app.js/",
                "/_console/x.class",
                "/_console/..",
                "/_console/...",
                "/_consolex",
                "/_console%2findex.html"
            })
    void nothingOutsideTheConsolesFilesCanBeReached(String target) {
        RawHttp.Response r = server.raw().get(target);
        assertTrue(r.status() == 404 || r.status() == 400, target + " -> " + r);
        String body = r.bodyText();
        assertFalse(
                body.contains("<html")
                        || body.contains("import ")
                        || body.contains("root:")
                        || body.contains("\"server\""),
                target + " served a file: " + body);
    }

    @Test
    void otherMethodsThanGetAndHeadAreRefused() {
        RawHttp.Response r =
                server.raw().send("POST", "/_console/index.html", Map.of(), "x".getBytes(StandardCharsets.UTF_8));
        assertEquals(405, r.status());
        assertEquals("GET, HEAD", r.header("allow"));
        assertEquals(200, server.raw().send("HEAD", "/_console/index.html").status());
    }

    @Test
    void theConsolesOwnRequestsAreNotInTheRequestJournal() {
        server.server().requests().clear();
        server.raw().get("/_console/");
        server.raw().get("/_console/js/app.js");
        assertEquals(List.of(), server.server().requests().all());
    }

    @Test
    void noBucketCanBeNamedLikeTheConsoleAndS3StillWorks() {
        RawHttp.Response refused = server.raw().send("PUT", "/api/v1/buckets/_console");
        assertEquals(400, refused.status());
        assertTrue(refused.bodyText().contains("InvalidBucketName"), refused.bodyText());
        assertEquals(405, server.raw().send("PUT", "/_console").status(), "S3's CreateBucket never sees the path");
        server.s3().createBucket(b -> b.bucket("console-neighbour"));
        server.s3()
                .putObject(
                        b -> b.bucket("console-neighbour").key("_console/index.html"), RequestBody.fromString("mine"));
        assertEquals(
                "mine",
                server.s3()
                        .getObjectAsBytes(b -> b.bucket("console-neighbour").key("_console/index.html"))
                        .asUtf8String());
    }

    @Test
    void aVirtualHostStyleRequestForAConsolePathIsAnObjectKeyOfThatBucket() {
        server.s3().createBucket(b -> b.bucket("vhost"));
        server.s3().putObject(b -> b.bucket("vhost").key("_console/index.html"), RequestBody.fromString("an object"));
        int port = server.endpoint().getPort();
        RawHttp.Response r = server.raw()
                .exchange(
                        ("GET /_console/index.html HTTP/1.1\r\nHost: vhost.localhost:" + port
                                        + "\r\nConnection: close\r\n\r\n")
                                .getBytes(StandardCharsets.UTF_8),
                        false,
                        false);
        assertEquals(200, r.status(), r::toString);
        assertEquals("an object", r.bodyText());
    }

    @Nested
    class Off {
        @Test
        void inProcessTheConsoleIsOffAndSaysHowToTurnItOn(@TempDir Path dir) {
            try (TestServer plain = TestServer.start(dir)) {
                RawHttp.Response r = plain.raw().get("/_console/");
                assertEquals(404, r.status());
                assertTrue(r.bodyText().contains("console.enabled=true"), r.bodyText());
                assertNotNull(plain.s3().createBucket(b -> b.bucket("still-s3")));
            }
        }
    }
}
