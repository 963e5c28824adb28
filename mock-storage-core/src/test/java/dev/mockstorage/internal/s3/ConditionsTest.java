package dev.mockstorage.internal.s3;

import static dev.mockstorage.internal.s3.Conditions.Outcome.NOT_MODIFIED;
import static dev.mockstorage.internal.s3.Conditions.Outcome.PROCEED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.metadata.ObjectRecord;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionsTest {
    private static final Instant MODIFIED = Instant.parse("2026-01-10T12:00:00.500Z");
    private static final ObjectRecord OBJECT =
            new ObjectRecord("b", "k", "0".repeat(32), 3, "abc", null, MODIFIED, Map.of(), Map.of(), Map.of());
    private static final String BEFORE = "Sat, 10 Jan 2026 11:00:00 GMT";
    private static final String SAME_SECOND = "Sat, 10 Jan 2026 12:00:00 GMT";

    @Test
    void ifMatch() {
        assertEquals(PROCEED, eval("\"abc\"", null, null, null));
        assertEquals(PROCEED, eval("\"x\", \"abc\"", null, null, null));
        assertEquals(PROCEED, eval("*", null, null, null));
        assertPrecondition(() -> eval("\"other\"", null, null, null));
    }

    @Test
    void ifMatchThatHoldsOverridesIfUnmodifiedSince() {
        assertEquals(PROCEED, eval("\"abc\"", BEFORE, null, null));
        assertPrecondition(() -> eval(null, BEFORE, null, null));
        assertEquals(PROCEED, eval(null, SAME_SECOND, null, null), "HTTP dates have whole seconds");
    }

    @Test
    void ifNoneMatchAndIfModifiedSince() {
        assertEquals(NOT_MODIFIED, eval(null, null, "\"abc\"", null));
        assertEquals(
                PROCEED,
                eval(null, null, "\"other\"", SAME_SECOND),
                "If-None-Match that holds overrides If-Modified-Since");
        assertEquals(NOT_MODIFIED, eval(null, null, null, SAME_SECOND));
        assertEquals(PROCEED, eval(null, null, null, BEFORE));
        assertEquals(PROCEED, eval(null, null, null, "not a date"), "an unparsable date is ignored");
    }

    @Test
    void copySourceConditionsFailWith412() {
        assertPrecondition(() -> Conditions.evaluate(OBJECT, null, null, "\"abc\"", null, true));
        assertPrecondition(() -> Conditions.evaluate(OBJECT, null, null, null, SAME_SECOND, true));
    }

    private static Conditions.Outcome eval(
            String ifMatch, String ifUnmodifiedSince, String ifNoneMatch, String ifModifiedSince) {
        return Conditions.evaluate(OBJECT, ifMatch, ifUnmodifiedSince, ifNoneMatch, ifModifiedSince, false);
    }

    private static void assertPrecondition(org.junit.jupiter.api.function.Executable e) {
        assertEquals(
                ErrorCode.PreconditionFailed,
                assertThrows(StorageException.class, e).code());
    }
}
