package dev.mockstorage.internal.http;

import java.time.Duration;

/**
 * How many connections, threads and how long a client may take.
 *
 * @param maxConnections open connections at most (at least 1); one more is answered 503 SlowDown and closed
 * @param maxWorkers     threads serving requests at most (at least 1); requests beyond wait for one
 * @param headTimeout    time a client has to send a whole request head, from its connection or its first byte
 * @param idleTimeout    time a keep-alive connection may idle between requests, and a body between bytes
 */
public record ConnectionLimits(int maxConnections, int maxWorkers, Duration headTimeout, Duration idleTimeout) {
    /** Default of {@code server.max_connections}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 1000;
    /** Workers: more than the busiest client pools keep busy at once, few enough to be cheap. */
    public static final int DEFAULT_MAX_WORKERS = 128;
    /** How long a keep-alive connection may idle, or a body pause between bytes. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(2);
    /** Default of {@code server.head_timeout_ms}. */
    public static final Duration DEFAULT_HEAD_TIMEOUT = Duration.ofSeconds(10);
    /** Every limit at its default. */
    public static final ConnectionLimits DEFAULTS = new ConnectionLimits(
            DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_WORKERS, DEFAULT_HEAD_TIMEOUT, DEFAULT_IDLE_TIMEOUT);

    public ConnectionLimits {
        if (maxConnections < 1 || maxWorkers < 1) {
            throw new IllegalArgumentException("maxConnections and maxWorkers must be at least 1");
        }
        if (headTimeout.toMillis() < 1 || idleTimeout.toMillis() < 1 || idleTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("timeouts must be at least 1 ms");
        }
    }

    /** The given connection limit and head timeout, the rest at their defaults. */
    public ConnectionLimits(int maxConnections, Duration headTimeout) {
        this(maxConnections, DEFAULT_MAX_WORKERS, headTimeout, DEFAULT_IDLE_TIMEOUT);
    }
}
