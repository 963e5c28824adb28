package dev.mockstorage.internal.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hand-written IMF-fixdate writes what the JDK's formatter for that pattern writes. */
class HttpDateTest {
    private static final DateTimeFormatter JDK = DateTimeFormatter.ofPattern(
                    "EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);

    @Test
    void knownDates() {
        assertEquals("Thu, 01 Jan 1970 00:00:00 GMT", HttpDate.format(0));
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", HttpDate.format(Instant.parse("1994-11-06T08:49:37.999Z")));
        assertEquals("Thu, 03 Dec 2026 08:22:24 GMT", HttpDate.format(Instant.parse("2026-12-03T08:22:24Z")));
        assertEquals("Tue, 29 Feb 2028 23:59:59 GMT", HttpDate.format(Instant.parse("2028-02-29T23:59:59Z")));
        assertEquals("Wed, 31 Dec 1969 23:59:59 GMT", HttpDate.format(-1));
    }

    @Test
    void sameAsTheJdksFormatterOverFourCenturies() {
        SplittableRandom random = new SplittableRandom(17);
        long from = Instant.parse("1800-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("2200-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 100_000; i++) {
            long second = random.nextLong(from, to);
            assertEquals(JDK.format(Instant.ofEpochSecond(second)), HttpDate.format(second), "second " + second);
        }
    }
}
