package dev.mockstorage.journal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.verification.Times;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Verification over plain data, as the container module's remote journal will use it. */
class VerificationTest {

    private static RecordedRequest req(String op, String bucket, String key, int status) {
        return new RecordedRequest(
                Instant.EPOCH, "1", "127.0.0.1", "GET", op, bucket, key, status, null, 0, 0, 1, Map.of());
    }

    private static RequestJournal journal(List<RecordedRequest> list) {
        return new RequestJournal() {
            @Override
            public List<RecordedRequest> all() {
                return list;
            }

            @Override
            public void clear() {
                list.clear();
            }
        };
    }

    @Test
    void timesAcceptTheirRange() {
        assertTrue(Times.exactly(2).accepts(2));
        assertFalse(Times.exactly(2).accepts(3));
        assertTrue(Times.atLeast(1).accepts(100));
        assertFalse(Times.never().accepts(1));
        assertTrue(Times.atMost(2).accepts(0));
        assertEquals("at least 2", Times.atLeast(2).toString());
        assertThrows(IllegalArgumentException.class, () -> Times.exactly(-1));
    }

    @Test
    void patternsMatchOnTheNamedPropertiesOnly() {
        RecordedRequest r = req("PutObject", "b", "k", 200);
        assertTrue(RequestPattern.putObject("b", "k").matches(r));
        assertTrue(RequestPattern.anyRequest().matches(r));
        assertTrue(RequestPattern.operation("PutObject")
                .withStatus(200)
                .withMethod("get")
                .matches(r));
        assertFalse(RequestPattern.putObject("b", "other").matches(r));
        assertFalse(RequestPattern.operation("PutObject").withStatus(404).matches(r));
    }

    @Test
    void failureNamesTheClosestRequestAndListsWhatWasReceived() {
        RequestJournal j = journal(new ArrayList<>(List.of(
                req("CreateBucket", "b", null, 200),
                req("PutObject", "b", "a", 200),
                req("GetObject", "c", "z", 404))));
        assertDoesNotThrow(() -> j.verify(RequestPattern.putObject("b", "a")));
        AssertionError e = assertThrows(
                AssertionError.class, () -> j.verify(Times.exactly(1), RequestPattern.putObject("b", "x")));
        assertEquals("""
                Expected exactly 1 request(s) matching [PutObject b/x] but got 0.
                Closest request: PutObject b/a -> 200
                Requests received (3):
                    CreateBucket b -> 200
                    PutObject b/a -> 200
                    GetObject c/z -> 404""", e.getMessage());
        AssertionError tooMany =
                assertThrows(AssertionError.class, () -> j.verify(Times.never(), RequestPattern.anyRequest()));
        assertTrue(tooMany.getMessage().startsWith("Expected exactly 0 request(s) matching [any request] but got 3."));
        assertTrue(tooMany.getMessage().contains("  * PutObject b/a -> 200"), tooMany.getMessage());
        j.clear();
        AssertionError none = assertThrows(AssertionError.class, () -> j.verify(RequestPattern.anyRequest()));
        assertTrue(none.getMessage().endsWith("Requests received (0): none"), none.getMessage());
    }
}
