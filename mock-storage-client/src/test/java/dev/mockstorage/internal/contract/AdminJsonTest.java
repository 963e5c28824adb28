package dev.mockstorage.internal.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mockstorage.StorageNodes;
import dev.mockstorage.journal.RecordedRequest;
import dev.mockstorage.stats.ConsistencyReport;
import dev.mockstorage.stats.ServerStats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** What the server writes, the remote handle reads back equal: one codec for each value crossing the wire. */
class AdminJsonTest {
    private static final Instant T = Instant.parse("2026-01-02T03:04:05.678Z");

    private static <T> T again(JsonNode written, Function<JsonNode, T> reader) {
        return reader.apply(AdminJson.read(AdminJson.bytes(written)));
    }

    @Test
    void statsRoundTrip() {
        ServerStats stats = new ServerStats(
                T,
                1234,
                new ServerStats.Totals(3, 30),
                List.of(new ServerStats.Bucket("a", 2, 20, 5, 50, T), new ServerStats.Bucket("b", 1, 10, 0, 0, null)),
                List.of(
                        new ServerStats.Node("stg1", "/d/stg1", "UP", null, 3, 30, 1000, 500),
                        new ServerStats.Node("stg2", "/d/stg2", "DOWN", "gone", 0, 0, -1, -1)),
                new ServerStats.Queue(1, 1000, 7, 1, 4, 2, 3),
                new ServerStats.ThirdParty(1, 2, 3),
                List.of(new ServerStats.Requests("PutObject", 200, 4)),
                new ServerStats.Consistency(2, T, 1, Map.of("ORPHAN", 1L, "MISSING_REPLICA", 0L), 1, 0, 0));
        assertEquals(stats, again(AdminJson.writeStats(stats), AdminJson::readStats));
    }

    @Test
    void consistencyReportsRoundTrip() {
        ConsistencyReport report = new ConsistencyReport(
                T,
                12,
                true,
                4,
                9,
                List.of("stg3: down"),
                List.of(
                        new ConsistencyReport.Finding(
                                ConsistencyReport.Kind.ORPHAN, null, null, "blob1", "stg1", "old", "deleted"),
                        new ConsistencyReport.Finding(
                                ConsistencyReport.Kind.CHECKSUM_MISMATCH, "b", "k", "blob2", "stg2", "md5", null)));
        assertEquals(report, again(AdminJson.writeConsistencyReport(report), AdminJson::readConsistencyReport));
        assertEquals(1, AdminJson.writeConsistencyReport(report).get("repaired").asLong());
    }

    @Test
    void requestsAndNodesRoundTrip() {
        List<RecordedRequest> requests = List.of(
                new RecordedRequest(
                        T,
                        "R1",
                        "127.0.0.1",
                        "PUT",
                        "PutObject",
                        "b",
                        "a b/ü",
                        200,
                        null,
                        5,
                        0,
                        1_500_000,
                        Map.of("content-type", "text/plain")),
                new RecordedRequest(
                        T, null, "::1", "GET", "Unknown", null, null, 404, "NoSuchKey", 0, 10, 7, Map.of()));
        assertEquals(requests, again(AdminJson.writeRequests(requests, 9), AdminJson::readRequests));
        assertEquals(9, AdminJson.writeRequests(requests, 9).get("matching").asInt());
        List<StorageNodes.Node> nodes = List.of(
                new StorageNodes.Node("stg1", true, null, Duration.ZERO),
                new StorageNodes.Node("stg2", false, "taken down", Duration.ofMillis(40)));
        assertEquals(nodes, again(AdminJson.writeNodes(nodes), AdminJson::readNodes));
    }

    @Test
    void errorsCarryTheirCodeMessageAndParameter() {
        String body = new String(AdminJson.bytes(AdminJson.writeError("InvalidArgument", "'ms' is bad", "ms")));
        assertEquals(new AdminJson.Error("InvalidArgument", "'ms' is bad"), AdminJson.readError(body));
        assertEquals("ms", AdminJson.read(body.getBytes()).get("parameter").asText());
        assertEquals(new AdminJson.Error(null, "plain text"), AdminJson.readError("plain text"));
    }
}
