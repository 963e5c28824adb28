package dev.mockstorage.internal.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.stats.ServerStats;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The request and third-party figures are counted in the server's own adders and turned into Prometheus
 * series only when scraped: what a scrape prints must be what the client library's own counters and
 * classic histograms printed (names, labels, cumulative {@code le} buckets, sum and count).
 */
class MetricsTest {
    private static final ServerStats STATS = new ServerStats(
            Instant.EPOCH,
            1500,
            new ServerStats.Totals(0, 0),
            List.of(),
            List.of(),
            new ServerStats.Queue(0, 1000, 0, 0, 0, 0, 2),
            ServerStats.ThirdParty.NONE,
            List.of());

    private static RequestEvent event(String operation, int status, long nanos, long in, long out) {
        return new RequestEvent(
                0, null, "127.0.0.1", "PUT", operation, false, "b", "k", status, null, in, out, nanos, Map.of());
    }

    private static String scrape(Metrics metrics) {
        return new String(metrics.scrape(), StandardCharsets.UTF_8);
    }

    @Test
    void requestsCountedPerOperationAndStatusWithCumulativeLatencyBuckets() {
        Metrics metrics = new Metrics(() -> STATS);
        metrics.accept(event("PutObject", 200, 300_000, 10, 0)); // 0.3 ms
        metrics.accept(event("PutObject", 200, 1_000_000, 5, 0)); // exactly 1 ms: in the le="0.001" bucket
        metrics.accept(event("PutObject", 503, 20_000_000_000L, 0, 0)); // 20 s: only +Inf
        metrics.accept(event("GetObject", 200, 50_000, 0, 7));

        String text = scrape(metrics);

        assertTrue(text.contains("# TYPE mockstorage_requests_total counter"), text);
        assertTrue(text.contains("mockstorage_requests_total{operation=\"PutObject\",status=\"200\"} 2.0"), text);
        assertTrue(text.contains("mockstorage_requests_total{operation=\"PutObject\",status=\"503\"} 1.0"), text);
        assertTrue(text.contains("mockstorage_requests_total{operation=\"GetObject\",status=\"200\"} 1.0"), text);
        assertTrue(text.contains("# TYPE mockstorage_request_duration_seconds histogram"), text);
        String put200 = "mockstorage_request_duration_seconds_bucket{operation=\"PutObject\",status=\"200\",";
        assertTrue(text.contains(put200 + "le=\"2.5E-4\"} 0"), text);
        assertTrue(text.contains(put200 + "le=\"5.0E-4\"} 1"), text);
        assertTrue(text.contains(put200 + "le=\"0.001\"} 2"), text);
        assertTrue(text.contains(put200 + "le=\"+Inf\"} 2"), text);
        String put503 = "mockstorage_request_duration_seconds_bucket{operation=\"PutObject\",status=\"503\",";
        assertTrue(text.contains(put503 + "le=\"10.0\"} 0"), text);
        assertTrue(text.contains(put503 + "le=\"+Inf\"} 1"), text);
        assertTrue(
                text.contains("mockstorage_request_duration_seconds_count{operation=\"PutObject\",status=\"200\"} 2"),
                text);
        assertTrue(
                text.contains(
                        "mockstorage_request_duration_seconds_sum{operation=\"PutObject\",status=\"200\"} 0.0013"),
                text);
        assertTrue(text.contains("mockstorage_received_bytes_total{operation=\"PutObject\"} 15.0"), text);
        assertTrue(text.contains("mockstorage_sent_bytes_total{operation=\"GetObject\"} 7.0"), text);
        assertTrue(text.contains("mockstorage_uptime_seconds 1.5"), text);
        assertTrue(text.contains("jvm_"), "the client library's JVM metrics join on the first scrape");

        assertEquals(
                List.of(
                        new ServerStats.Requests("GetObject", 200, 1),
                        new ServerStats.Requests("PutObject", 200, 2),
                        new ServerStats.Requests("PutObject", 503, 1)),
                metrics.requestCounts());
    }

    @Test
    void laterEventsShowInLaterScrapes() {
        Metrics metrics = new Metrics(() -> STATS);
        assertTrue(!scrape(metrics).contains("mockstorage_requests_total{"), "no series before a request");
        metrics.accept(event("HeadObject", 404, 1000, 0, 0));
        assertTrue(scrape(metrics).contains("mockstorage_requests_total{operation=\"HeadObject\",status=\"404\"} 1.0"));
        metrics.accept(event("HeadObject", 404, 1000, 0, 0));
        assertTrue(scrape(metrics).contains("mockstorage_requests_total{operation=\"HeadObject\",status=\"404\"} 2.0"));
    }

    @Test
    void thirdPartyFetchOutcomesExistAtZeroBeforeTheFirstFetch() {
        Metrics metrics = new Metrics(() -> STATS);
        String before = scrape(metrics);
        for (String outcome : new String[] {"hit", "miss", "error"}) {
            assertTrue(
                    before.contains(
                            "mockstorage_thirdparty_fetch_duration_seconds_count{outcome=\"" + outcome + "\"} 0"),
                    before);
        }
        metrics.thirdPartyFetch("miss", 2_000_000); // 2 ms
        String after = scrape(metrics);
        assertTrue(
                after.contains("mockstorage_thirdparty_fetch_duration_seconds_bucket{outcome=\"miss\",le=\"0.001\"} 0"),
                after);
        assertTrue(
                after.contains(
                        "mockstorage_thirdparty_fetch_duration_seconds_bucket{outcome=\"miss\",le=\"0.0025\"} 1"),
                after);
        assertTrue(after.contains("mockstorage_thirdparty_fetch_duration_seconds_count{outcome=\"hit\"} 0"), after);
    }
}
