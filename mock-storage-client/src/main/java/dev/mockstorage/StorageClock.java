package dev.mockstorage;

import java.time.Duration;
import java.time.Instant;

/**
 * The server's one clock, which a test moves forward instead of waiting. Everything the server decides
 * by the date reads it: Last-Modified and the other times it stores, lifecycle expiry, object-lock
 * retention, the expiry of presigned URLs in strict auth mode, and the times of the request journal.
 *
 * <pre>{@code
 * storage.clock().advance(Duration.ofDays(31)); // lifecycle rules due by then are queued now
 * storage.awaitIdle(Duration.ofSeconds(10));    // and have run: the expired objects are gone
 * }</pre>
 *
 * It starts at the real time and only moves forward; {@link MockStorageRuntime#reset()} sets it back to
 * the real time. Clients keep signing with their own clock, so moving it never makes a signed request
 * {@code RequestTimeTooSkewed}.
 */
public interface StorageClock {

    /** The server's time now. */
    Instant now();

    /**
     * Moves the server's time forward by {@code amount} and applies, on the background queue, every
     * lifecycle rule that is due by the new time ({@link MockStorageRuntime#awaitIdle} waits for it).
     *
     * @return the server's time after the move
     * @throws IllegalArgumentException when {@code amount} is negative
     */
    Instant advance(Duration amount);

    /** How far the server's time is ahead of the real time: zero until {@link #advance} is called. */
    Duration offset();
}
