package dev.mockstorage.internal.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Templates match what the server receives and build what the remote handle sends, the one from the other. */
class AdminRouteTest {

    @Test
    void templatesMatchSegmentsAndTheRestOfThePath() {
        assertEquals(Map.of(), AdminRoute.STATS.match("/api/v1/stats"));
        assertNull(AdminRoute.STATS.match("/api/v1/stats/"));
        assertEquals(
                Map.of("bucket", "docs", "key", "a%20b/c//d"),
                AdminRoute.GET_OBJECT.match("/api/v1/objects/docs/a%20b/c//d"));
        assertNull(AdminRoute.GET_OBJECT.match("/api/v1/objects/docs"), "a key is required");
        assertNull(AdminRoute.GET_OBJECT.match("/api/v1/objects/docs/"), "an empty key is none");
        assertNull(AdminRoute.GET_OBJECT.match("/api/v1/objects//k"), "an empty bucket is none");
        assertEquals(Map.of("node", "stg1"), AdminRoute.NODE_DOWN.match("/api/v1/nodes/stg1/down"));
        assertNull(AdminRoute.NODE_DOWN.match("/api/v1/nodes/stg1/up"));
        assertNull(AdminRoute.NODE_DOWN.match("/api/v1/nodes/stg1/down/more"));
        assertNull(AdminRoute.CREATE_BUCKET.match("/api/v1/buckets/a/b"), "one segment");
    }

    @Test
    void requestsAreBuiltFromTheTemplateAndTheDeclaredParameters() {
        assertEquals(
                "/api/v1/nodes/stg%201/corrupt?bucket=b&key=a%20b%2Fc",
                AdminRoute.NODE_CORRUPT
                        .request("stg 1")
                        .with("bucket", "b")
                        .with("key", "a b/c")
                        .target());
        assertEquals(
                "/api/v1/objects/docs/a%20b/c",
                AdminRoute.GET_OBJECT.request("docs", "a b/c").target());
        assertEquals(
                Map.of("bucket", "docs", "key", "a%20b/c"),
                AdminRoute.GET_OBJECT.match(
                        AdminRoute.GET_OBJECT.request("docs", "a b/c").target()));
        assertEquals(
                "/api/v1/await-idle?timeout_ms=5",
                AdminRoute.AWAIT_IDLE.request().with("timeout_ms", 5L).target());
        IllegalArgumentException undeclared = assertThrows(
                IllegalArgumentException.class, () -> AdminRoute.STATS.request().with("verbose", true));
        assertEquals("GET /api/v1/stats takes no query parameter 'verbose'", undeclared.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AdminRoute.NODE_DOWN.request());
        assertThrows(IllegalArgumentException.class, () -> AdminRoute.STATS.request("x"));
    }

    @Test
    void everyRouteHasAnOperationAndADistinctMethodAndPath() {
        assertEquals(
                AdminRoute.values().length, AdminRoute.all().stream().distinct().count());
        for (AdminRoute r : AdminRoute.values()) {
            assertEquals(true, r.operation().matches("(Admin)?[A-Z][A-Za-z]+"), r.toString());
        }
    }
}
