package dev.mockstorage.it;

import static dev.mockstorage.it.S3Assertions.assertS3Error;
import static dev.mockstorage.it.S3Assertions.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mockstorage.StorageClock;
import dev.mockstorage.journal.RecordedRequest;
import dev.mockstorage.journal.RequestPattern;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The server's one clock, moved by a test instead of waiting: what the server stores and answers follows it
 * (Last-Modified, the journal's times), strict mode's presigned URLs expire on it while header-signed requests
 * keep working, it is read and moved over the admin API too, and a reset sets it back.
 */
class ClockTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @StartStop
    final TestServer server = TestServer.create();

    /** {@code a} is within a few seconds after {@code b} (the time the test itself takes on a loaded machine). */
    private static void assertShortlyAfter(Instant b, Instant a) {
        assertFalse(a.isBefore(b), a + " is before " + b);
        assertTrue(a.isBefore(b.plus(Duration.ofMinutes(1))), a + " is long after " + b);
    }

    @Test
    void storedTimesAndTheJournalFollowTheMovedClock() {
        StorageClock clock = server.server().clock();
        server.createBucket("times");
        Instant before = Instant.now();
        assertShortlyAfter(before.minusSeconds(1), clock.now());
        assertEquals(Duration.ZERO, clock.offset());

        Instant moved = clock.advance(Duration.ofDays(31));
        assertShortlyAfter(before.plus(Duration.ofDays(31)), moved);
        assertEquals(Duration.ofDays(31), clock.offset());

        server.s3().putObject(b -> b.bucket("times").key("later.txt"), RequestBody.fromString("x"));
        Instant lastModified =
                server.s3().headObject(b -> b.bucket("times").key("later.txt")).lastModified();
        assertShortlyAfter(moved.minusSeconds(1), lastModified); // HTTP dates have whole seconds
        RecordedRequest put = server.server()
                .requests()
                .find(RequestPattern.putObject("times", "later.txt"))
                .get(0);
        assertShortlyAfter(moved, put.time());

        assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofDays(-1)));
        server.server().reset();
        assertEquals(Duration.ZERO, clock.offset(), "a reset sets the clock back to the real time");
        assertShortlyAfter(before, clock.now());
    }

    @Test
    void theAdminApiReadsAndMovesTheSameClock() throws Exception {
        JsonNode read = call("GET", "/api/v1/clock", 200);
        assertEquals(0, read.get("offset_ms").asLong());
        assertShortlyAfter(
                Instant.now().minusSeconds(1), Instant.parse(read.get("now").asText()));

        long month = Duration.ofDays(31).toMillis(); // beyond an int of milliseconds
        JsonNode moved = call("POST", "/api/v1/clock/advance?ms=" + month, 200);
        assertEquals(month, moved.get("offset_ms").asLong());
        assertEquals(
                Duration.ofMillis(month),
                server.server().clock().offset(),
                "the in-process handle sees the same clock");
        assertShortlyAfter(
                Instant.parse(moved.get("now").asText()),
                server.server().clock().now());

        assertEquals(
                "ms",
                call("POST", "/api/v1/clock/advance?ms=-5", 400)
                        .get("parameter")
                        .asText());
        assertEquals(
                "InvalidArgument",
                call("POST", "/api/v1/clock/advance", 400).get("error").asText());
        assertEquals(
                month, call("GET", "/api/v1/clock", 200).get("offset_ms").asLong(), "refused moves change nothing");
    }

    private JsonNode call(String method, String path, int status) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(server.url() + path))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(status, r.statusCode(), method + " " + path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    @Nested
    class StrictMode {
        @StartStop
        final TestServer server = TestServer.create(b -> b.strictAuth());

        @Test
        void inStrictModePresignedUrlsExpireOnTheServersClockWhileSignedRequestsGoOn() throws Exception {
            server.createBucket("reports");
            server.s3().putObject(b -> b.bucket("reports").key("q1.csv"), RequestBody.fromString("a,b\n"));
            URI url;
            try (S3Presigner presigner = S3Presigner.builder()
                    .endpointOverride(server.endpoint())
                    .region(Region.US_EAST_1)
                    .serviceConfiguration(S3Configuration.builder()
                            .pathStyleAccessEnabled(true)
                            .build())
                    .credentialsProvider(TestServer.credentials(server.server()))
                    .build()) {
                url = presigner
                        .presignGetObject(p -> p.signatureDuration(Duration.ofHours(1))
                                .getObjectRequest(r -> r.bucket("reports").key("q1.csv")))
                        .url()
                        .toURI();
            }
            assertEquals(
                    200,
                    HTTP.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString())
                            .statusCode());

            server.server().clock().advance(Duration.ofMinutes(61));

            Document error =
                    assertS3Error(server.raw().get(url.getRawPath() + "?" + url.getRawQuery()), 403, "AccessDenied");
            assertEquals("Request has expired", text(error, "Message"));
            assertShortlyAfter(server.server().clock().now().minusSeconds(2), Instant.parse(text(error, "ServerTime")));
            // the SDK signs its headers with the real time: the moved clock does not make them RequestTimeTooSkewed
            assertEquals(
                    "a,b\n",
                    server.s3()
                            .getObjectAsBytes(b -> b.bucket("reports").key("q1.csv"))
                            .asUtf8String());
            assertEquals(
                    List.of("reports"),
                    server.s3().listBuckets().buckets().stream()
                            .map(b -> b.name())
                            .toList());
        }
    }
}
