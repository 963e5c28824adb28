package dev.mockstorage.thirdparty;

/** A broken answer the scripted upstream gives instead of a normal response; each is a real socket-level failure. */
public enum Fault {
    /** Reads the request, then resets the TCP connection (RST) without sending a byte. */
    CONNECTION_RESET,
    /**
     * Sends the status line and headers with the full {@code Content-Length}, then only the first half of
     * the body (nothing when the body is empty, with a declared length of 1), then closes the connection.
     */
    TRUNCATED_BODY,
    /** Reads the request and never answers; the connection stays open until the caller gives up (its timeout). */
    NO_ANSWER
}
