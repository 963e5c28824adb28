package dev.mockstorage.internal.thirdparty;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The body of an {@code HttpClient} response as an InputStream with an idle timeout: a read that gets
 * no bytes for the timeout fails instead of blocking for ever ({@code BodyHandlers.ofInputStream()} has
 * no read timeout). One buffer list is requested at a time, so a slow reader holds back the socket
 * rather than filling memory.
 */
final class TimedBodyStream extends InputStream implements Flow.Subscriber<List<ByteBuffer>> {
    private static final Object END = new Object();

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final long timeoutMs;
    private final String url;
    private volatile Flow.Subscription subscription;
    private Iterator<ByteBuffer> pending = Collections.emptyIterator();
    private ByteBuffer current;
    private boolean done;
    private boolean closed;

    TimedBodyStream(String url, long timeoutMs) {
        this.url = url;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        queue.add(item);
    }

    @Override
    public void onError(Throwable t) {
        queue.add(t);
    }

    @Override
    public void onComplete() {
        queue.add(END);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        if (len == 0) {
            return 0;
        }
        while (current == null || !current.hasRemaining()) {
            if (pending.hasNext()) {
                current = pending.next();
                continue;
            }
            if (done) {
                return -1;
            }
            Object item;
            try {
                item = queue.poll(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading " + url);
            }
            if (item == null) {
                cancel();
                throw new IOException("no data from " + url + " for " + timeoutMs + " ms (timed out)");
            }
            if (item == END) {
                done = true;
                return -1;
            }
            if (item instanceof Throwable t) {
                done = true;
                throw new IOException(t.getMessage() == null ? t.toString() : t.getMessage(), t);
            }
            @SuppressWarnings("unchecked")
            List<ByteBuffer> buffers = (List<ByteBuffer>) item;
            pending = buffers.iterator();
            subscription.request(1);
        }
        int n = Math.min(len, current.remaining());
        current.get(b, off, n);
        return n;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (!done) {
                cancel();
            }
        }
    }

    private void cancel() {
        done = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }
}
