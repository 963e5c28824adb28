package dev.mockstorage.internal.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlatJsonTest {
    private static final ObjectMapper JACKSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> MAP = new TypeReference<>() {};

    private static Map<String, String> awkward() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("plain", "value");
        m.put("quote\"and\\backslash", "a \"quoted\" \\ value /slash");
        m.put("controls", "tab\there\nnew line\r\u0000\u0001\u001f\b\f");
        m.put("unicode", "caf\u00e9 \u65e5\u672c \ud83d\ude00 \u2028 \u007f");
        m.put("", "");
        m.put("null value", null);
        m.put("CRC32", "rwg7LQ==");
        return m;
    }

    @Test
    void whatItWritesJacksonReadsAndTheOtherWayRound() throws Exception {
        Map<String, String> m = awkward();
        assertEquals(m, JACKSON.readValue(FlatJson.write(m), MAP));
        assertEquals(m, FlatJson.read(JACKSON.writeValueAsString(m)));
        assertEquals(m, FlatJson.read(FlatJson.write(m)));
        assertEquals(
                new ArrayList<>(m.keySet()),
                new ArrayList<>(FlatJson.read(FlatJson.write(m)).keySet()),
                "order kept");
    }

    @Test
    void everyOtherShapeIsLeftToJackson() {
        for (String json : List.of(
                "{\"a\":1}",
                "{\"a\":{\"b\":\"c\"}}",
                "{ \"a\":\"b\"}",
                "{\"a\":\"b\"} ",
                "[]",
                "{\"a\":\"b\"",
                "{\"a\":\"\\x\"}",
                "{\"a\":\"\\u12\"}",
                "{\"a\":\"b\",}",
                "",
                "{\"a\" : \"b\"}")) {
            assertNull(FlatJson.read(json), json);
        }
    }

    @Test
    void rowsStillReadWhatOnlyJacksonUnderstands() {
        assertEquals(Map.of("a", "b"), Columns.fromJson("{ \"a\" : \"b\" }"));
        assertEquals(Map.of(), Columns.fromJson("{}"));
        assertNull(Columns.toJson(Map.of()));
    }
}
