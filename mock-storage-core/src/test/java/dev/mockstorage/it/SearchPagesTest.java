package dev.mockstorage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mockstorage.internal.metadata.MetadataStore;
import dev.mockstorage.server.MockStorageServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A search that checks keys one by one examines a bounded number of keys per request, so that its cost
 * does not grow with the bucket: over a bucket larger than that, a client follows {@code next_cursor}
 * while {@code truncated} is true, through pages that may hold no object at all, and finds every match.
 */
class SearchPagesTest {
    @StartStop
    private static final TestServer server = TestServer.create(b -> b.nodes(1)); // one file per key: a quicker load

    private static final int BUDGET = MetadataStore.SEARCH_BUDGET;
    private static final int KEYS = BUDGET + 10;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    /** key-00000 .. key-10009; two of them, past the first page's keys, also hold "needle". */
    static String key(int i) {
        boolean match = i == BUDGET + 2 || i == BUDGET + 5;
        return String.format("key-%05d%s", i, match ? "-needle" : "");
    }

    @BeforeAll
    static void manyKeys() throws Exception {
        MockStorageServer s = server.server();
        s.createBucket("many");
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> loads = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int first = t;
                loads.add(pool.submit(() -> {
                    for (int i = first; i < KEYS; i += 3) {
                        s.putObject("many", key(i), new byte[0], "application/octet-stream");
                    }
                    return null;
                }));
            }
            for (Future<?> f : loads) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private JsonNode get(String pathAndQuery) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(server.url() + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    @Test
    void followingNextCursorFindsEveryMatchThroughPagesThatExamineABoundedNumberOfKeys() throws Exception {
        List<String> found = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        String cursor = null;
        while (true) {
            JsonNode page =
                    get("/api/v1/search?bucket=many&q=needle&limit=100" + (cursor == null ? "" : "&cursor=" + cursor));
            page.get("objects").forEach(o -> found.add(o.get("key").asText()));
            counts.add(page.get("count").asInt());
            if (!page.get("truncated").asBoolean()) {
                assertTrue(page.get("next_cursor").isNull());
                break;
            }
            cursor = page.get("next_cursor").asText();
        }
        assertEquals(List.of(key(BUDGET + 2), key(BUDGET + 5)), found);
        assertEquals(
                List.of(0, 2), counts, "the first page examines the budget's keys, finds none, and is not the last");
    }

    @Test
    void aFullPageEndsWhereItsLastObjectIs() throws Exception {
        JsonNode first = get("/api/v1/search?bucket=many&q=needle&limit=1");
        assertEquals(List.of(), keys(first));
        assertTrue(first.get("truncated").asBoolean());
        JsonNode second = get("/api/v1/search?bucket=many&q=needle&limit=1&cursor="
                + first.get("next_cursor").asText());
        assertEquals(List.of(key(BUDGET + 2)), keys(second));
        assertTrue(second.get("truncated").asBoolean(), "a full page");
        JsonNode third = get("/api/v1/search?bucket=many&q=needle&limit=1&cursor="
                + second.get("next_cursor").asText());
        assertEquals(List.of(key(BUDGET + 5)), keys(third), "the next page goes on after the full page's last");
        assertFalse(third.get("truncated").asBoolean());
    }

    @Test
    void aSearchBoundedByTheIndexIsNotCutShort() throws Exception {
        // a glob's literal start bounds the walk: 10 keys key-0001?, one page, nothing more
        JsonNode page = get("/api/v1/search?bucket=many&q=key-0001%3F&limit=100");
        assertEquals(10, page.get("count").asInt());
        assertFalse(page.get("truncated").asBoolean());
    }

    private static List<String> keys(JsonNode page) {
        List<String> keys = new ArrayList<>();
        page.get("objects").forEach(o -> keys.add(o.get("key").asText()));
        return keys;
    }
}
