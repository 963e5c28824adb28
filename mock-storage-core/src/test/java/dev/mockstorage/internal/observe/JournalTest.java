package dev.mockstorage.internal.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JournalTest {
    private static RequestEvent event(String key, boolean admin) {
        return new RequestEvent(
                0,
                "id",
                "127.0.0.1",
                "GET",
                "GetObject",
                admin,
                "b",
                key,
                200,
                null,
                0,
                10,
                5,
                Map.of("user-agent", "ua", "authorization", "secret"));
    }

    @Test
    void keepsTheLastNS3RequestsWithSelectedHeadersOnly() {
        Journal j = new Journal(2);
        j.accept(event("1", false));
        j.accept(event("admin", true));
        j.accept(event("2", false));
        j.accept(event("3", false));
        assertEquals(2, j.all().size());
        assertEquals("2", j.all().get(0).key());
        assertEquals("3", j.all().get(1).key());
        assertEquals(Map.of("user-agent", "ua"), j.all().get(0).headers());
        j.clear();
        assertTrue(j.all().isEmpty());
    }

    @Test
    void accessLogLineEscapesAndKeepsFieldOrder() throws Exception {
        String line = AccessLog.line(new RequestEvent(
                0,
                null,
                "::1",
                "PUT",
                "PutObject",
                false,
                "b",
                "a\"b\nc",
                500,
                "InternalError",
                3,
                4,
                1_234_567,
                Map.of()));
        assertTrue(line.indexOf('\n') < 0);
        var n = new ObjectMapper().readTree(line);
        assertEquals("a\"b\nc", n.get("key").asText());
        assertEquals(1.235, n.get("duration_ms").asDouble());
        assertTrue(n.get("request_id").isNull());
        var names = new java.util.ArrayList<String>();
        n.fieldNames().forEachRemaining(names::add);
        assertEquals(AccessLog.FIELDS, names);
    }
}
