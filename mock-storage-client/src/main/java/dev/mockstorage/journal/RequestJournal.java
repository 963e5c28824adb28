package dev.mockstorage.journal;

import dev.mockstorage.verification.Times;
import java.util.List;

/**
 * The last requests a server answered (its S3 traffic; admin API calls are not recorded), oldest
 * first, up to the configured size ({@code journal.size}, default 1000; older ones are dropped).
 * Only {@link #all()} and {@link #clear()} are needed to implement it; verification is built on them.
 *
 * <pre>{@code
 * s3.putObject(b -> b.bucket("b").key("k"), RequestBody.fromString("x"));
 * server.requests().verify(Times.exactly(1), RequestPattern.putObject("b", "k"));
 * }</pre>
 */
public interface RequestJournal {

    /** Every recorded request, oldest first (a snapshot). */
    List<RecordedRequest> all();

    /** Forgets every recorded request. */
    void clear();

    /** The recorded requests that match, oldest first. */
    default List<RecordedRequest> find(RequestPattern pattern) {
        return all().stream().filter(pattern::matches).toList();
    }

    /** How many recorded requests match. */
    default int count(RequestPattern pattern) {
        return find(pattern).size();
    }

    /**
     * Checks that the number of matching requests is in range.
     *
     * @throws AssertionError naming the expectation, the count, the closest non-matching request and
     *                        the requests received
     */
    default void verify(Times times, RequestPattern pattern) {
        Verification.verify(all(), times, pattern);
    }

    /** {@code verify(Times.exactly(1), pattern)}. */
    default void verify(RequestPattern pattern) {
        verify(Times.exactly(1), pattern);
    }
}
