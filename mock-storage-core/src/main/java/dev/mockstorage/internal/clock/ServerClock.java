package dev.mockstorage.internal.clock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's one clock: the system's UTC time plus an offset that only grows while the server runs.
 * Tests {@link #advance} it to make what depends on the date (lifecycle expiry, object-lock retention,
 * presigned-URL expiry) happen without waiting; a reset {@link #rewind}s it to the system's time.
 * Mechanics that measure elapsed time (the task queue's retry backoff, the age of blob files on disk,
 * uptime) do not read it. Reading it costs one volatile read more than the system clock. Thread-safe.
 */
public final class ServerClock extends Clock {
    /** The furthest the clock may be moved ahead of the system's time. */
    private static final long MAX_OFFSET_NANOS = Duration.ofDays(200L * 366).toNanos();

    private final Clock system;
    private final AtomicLong offsetNanos = new AtomicLong();

    /** The system's UTC clock, not moved yet. */
    public ServerClock() {
        this(Clock.systemUTC());
    }

    /** @param system the time the offset is added to (a fixed clock in unit tests) */
    public ServerClock(Clock system) {
        this.system = system;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** A clock fixed at this one's offset now, in {@code zone}; it does not follow later advances. */
    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.offset(system.withZone(zone), offset());
    }

    @Override
    public Instant instant() {
        return system.instant().plusNanos(offsetNanos.get());
    }

    @Override
    public long millis() {
        return system.millis() + offsetNanos.get() / 1_000_000;
    }

    /**
     * Moves the time forward by {@code amount}; returns the new time.
     *
     * @throws IllegalArgumentException when {@code amount} is negative (the clock never goes back while data
     *                                  written on it remains) or the offset would exceed 200 years
     */
    public Instant advance(Duration amount) {
        if (amount.isNegative()) {
            throw new IllegalArgumentException("the clock only moves forward: cannot advance it by " + amount);
        }
        long nanos;
        try {
            nanos = amount.toNanos();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("cannot advance the clock by " + amount + ": too far", e);
        }
        long before;
        do {
            before = offsetNanos.get();
            if (before > MAX_OFFSET_NANOS - nanos) {
                throw new IllegalArgumentException("cannot advance the clock by " + amount + ": it is already "
                        + Duration.ofNanos(before) + " ahead, and the most is " + Duration.ofNanos(MAX_OFFSET_NANOS));
            }
        } while (!offsetNanos.compareAndSet(before, before + nanos));
        return instant();
    }

    /** How far ahead of the system's time this clock is. */
    public Duration offset() {
        return Duration.ofNanos(offsetNanos.get());
    }

    /** Back to the system's time (a reset: nothing written on the moved clock is left). */
    public void rewind() {
        offsetNanos.set(0);
    }

    @Override
    public String toString() {
        return "ServerClock[system time" + (offsetNanos.get() == 0 ? "" : " + " + offset()) + "]";
    }
}
