package dev.mockstorage.internal.observe;

import dev.mockstorage.journal.RecordedRequest;
import dev.mockstorage.journal.RequestJournal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The in-process request journal: a ring of the last {@code capacity} S3 requests (admin API calls
 * are left out, so querying the journal does not change it). Thread-safe; recording is one short
 * lock and one small copy of the selected headers.
 */
public final class Journal implements RequestJournal, Consumer<RequestEvent> {
    /** Request headers kept per recorded request (lower-case). */
    public static final List<String> SELECTED_HEADERS = List.of(
            "content-type",
            "content-length",
            "range",
            "user-agent",
            "if-match",
            "if-none-match",
            "x-amz-copy-source",
            "x-amz-content-sha256");

    private final RecordedRequest[] ring;
    private int next;
    private int size;

    /** @param capacity most requests kept; at least 1 */
    public Journal(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("journal capacity must be at least 1");
        }
        this.ring = new RecordedRequest[capacity];
    }

    public int capacity() {
        return ring.length;
    }

    @Override
    public void accept(RequestEvent e) {
        if (e.admin()) {
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>(8);
        Map<String, String> all = e.requestHeaders();
        for (String name : SELECTED_HEADERS) {
            String v = all.get(name);
            if (v != null) {
                headers.put(name, v);
            }
        }
        RecordedRequest r = new RecordedRequest(
                Instant.ofEpochMilli(e.epochMillis()),
                e.requestId(),
                e.remoteAddress(),
                e.method(),
                e.operation(),
                e.bucket(),
                e.key(),
                e.status(),
                e.errorCode(),
                e.bytesIn(),
                e.bytesOut(),
                e.durationNanos(),
                Map.copyOf(headers));
        synchronized (this) {
            ring[next] = r;
            next = (next + 1) % ring.length;
            if (size < ring.length) {
                size++;
            }
        }
    }

    @Override
    public synchronized List<RecordedRequest> all() {
        List<RecordedRequest> out = new ArrayList<>(size);
        int start = (next - size + ring.length) % ring.length;
        for (int i = 0; i < size; i++) {
            out.add(ring[(start + i) % ring.length]);
        }
        return out;
    }

    @Override
    public synchronized void clear() {
        Arrays.fill(ring, null);
        next = 0;
        size = 0;
    }

    /** The journal of a server started with {@code journal.size} = 0: every query fails saying so. */
    public static RequestJournal disabled() {
        return new RequestJournal() {
            @Override
            public List<RecordedRequest> all() {
                throw new IllegalStateException("the request journal is off (journal.size = 0); "
                        + "start the server with journal.size > 0 to record requests");
            }

            @Override
            public void clear() {}
        };
    }
}
