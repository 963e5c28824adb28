package dev.mockstorage.internal.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The server's clock on a fixed system time: it moves forward only, by what it is told, and a reset puts it back. */
class ServerClockTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456789Z");

    @Test
    void advancingAddsUpAndRewindingReturnsToTheSystemsTime() {
        ServerClock clock = new ServerClock(Clock.fixed(T0, ZoneOffset.UTC));
        assertEquals(T0, clock.instant());
        assertEquals(Duration.ZERO, clock.offset());

        assertEquals(T0.plus(Duration.ofDays(31)), clock.advance(Duration.ofDays(31)));
        assertEquals(T0.plus(Duration.ofDays(31)).plusMillis(1), clock.advance(Duration.ofMillis(1)));
        assertEquals(Duration.ofDays(31).plusMillis(1), clock.offset());
        assertEquals(T0.plus(clock.offset()).toEpochMilli(), clock.millis());
        assertEquals(clock.instant(), clock.advance(Duration.ZERO), "zero is allowed and changes nothing");

        clock.rewind();
        assertEquals(T0, clock.instant());
    }

    @Test
    void itNeverGoesBackNorBeyondTwoHundredYears() {
        ServerClock clock = new ServerClock(Clock.fixed(T0, ZoneOffset.UTC));
        clock.advance(Duration.ofHours(1));
        IllegalArgumentException back =
                assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofSeconds(-1)));
        assertEquals("the clock only moves forward: cannot advance it by PT-1S", back.getMessage());
        assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofDays(200L * 366)));
        assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofSeconds(Long.MAX_VALUE)));
        assertEquals(Duration.ofHours(1), clock.offset(), "a refused move leaves the clock where it was");
    }
}
