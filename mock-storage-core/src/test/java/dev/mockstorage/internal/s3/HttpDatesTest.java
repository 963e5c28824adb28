package dev.mockstorage.internal.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** HTTP dates out as IMF-fixdate, in as any of HTTP's three formats (RFC 9110 section 5.6.7); XML dates as ISO 8601. */
class HttpDatesTest {
    private static final Instant DEC_3 = Instant.parse("2026-12-03T08:22:24.517Z");

    @Test
    void headersUseImfFixdateWithATwoDigitDay() {
        assertEquals("Thu, 03 Dec 2026 08:22:24 GMT", HttpDates.header(DEC_3));
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", HttpDates.header(Instant.parse("1994-11-06T08:49:37Z")));
    }

    @Test
    void xmlDatesAreIso8601WithMilliseconds() {
        assertEquals("2026-12-03T08:22:24.517Z", HttpDates.xml(DEC_3));
        assertEquals("2026-12-03T08:22:24.000Z", HttpDates.xml(Instant.parse("2026-12-03T08:22:24Z")));
    }

    @Test
    void everyHttpDateFormatIsAccepted() {
        Instant t = Instant.parse("1994-11-06T08:49:37Z");
        assertEquals(t, HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT"));
        assertEquals(t, HttpDates.parse("Sun, 6 Nov 1994 08:49:37 GMT"));
        assertEquals(t, HttpDates.parse("Sunday, 06-Nov-94 08:49:37 GMT"));
        assertEquals(t, HttpDates.parse("Sun Nov  6 08:49:37 1994"));
        assertEquals(t, HttpDates.parse("1994-11-06T08:49:37Z"));
        assertEquals(Instant.parse("2026-12-03T08:22:24Z"), HttpDates.parse(HttpDates.header(DEC_3)));
        assertNull(HttpDates.parse("yesterday"));
        assertNull(HttpDates.parse(" "));
    }
}
