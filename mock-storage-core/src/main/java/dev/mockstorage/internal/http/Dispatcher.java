package dev.mockstorage.internal.http;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one thread that owns every connection no worker is serving: it accepts (refusing those beyond
 * {@code maxConnections} with a ready-made answer), gathers each waiting connection's next request
 * head without blocking, hands a connection to a worker only once its head is complete, closes
 * connections whose head does not arrive in time or that idle too long, and drains and closes
 * connections after their last answer. So an idle keep-alive connection, or one trickling its head in,
 * costs a socket and a few hundred bytes, never a thread.
 *
 * <p>A connection moves between this thread and a worker: handing it over cancels its selection key
 * and makes its channel blocking (the worker's reads and writes are plain blocking I/O with the
 * socket's read timeout); a worker gives it back ({@link #giveBack}) and this thread makes it
 * non-blocking and registers it again. Only this thread registers channels.
 */
final class Dispatcher implements Runnable {
    private static final System.Logger LOG = System.getLogger("dev.mockstorage.http");
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** How long, and how many bytes, a connection is drained after its last answer before it is closed. */
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);

    private static final long LINGER_BYTES = 16L * 1024 * 1024;
    /** A refused connection's request is drained less generously. */
    private static final long REFUSED_LINGER_BYTES = 64 * 1024;

    private static final long REFUSAL_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final ServerSocketChannel server;
    private final Selector selector;
    private final ConnectionLimits limits;
    private final Workers workers;
    private final Consumer<Connection> serve;
    private final Supplier<byte[]> refusal;
    private final long headTimeoutNanos;
    private final long idleTimeoutNanos;
    /** admitted connections not yet closed, waiting here or served by a worker */
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();

    private final ConcurrentLinkedQueue<Connection> returned = new ConcurrentLinkedQueue<>();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong headTimeouts = new AtomicLong();
    private final AtomicLong idleTimeouts = new AtomicLong();
    private final ByteBuffer scratch = ByteBuffer.allocate(8192);
    private final List<Connection> ready = new ArrayList<>();
    private volatile boolean running = true;
    // dispatcher thread only
    private int refusing;
    private boolean cancelled;
    private long acceptPausedUntil;
    private long lastRefusalLog;
    private long refusedAtLastLog;

    Dispatcher(
            ServerSocketChannel server,
            ConnectionLimits limits,
            Workers workers,
            Consumer<Connection> serve,
            Supplier<byte[]> refusal)
            throws IOException {
        this.server = server;
        this.limits = limits;
        this.workers = workers;
        this.serve = serve;
        this.refusal = refusal;
        this.headTimeoutNanos = limits.headTimeout().toNanos();
        this.idleTimeoutNanos = limits.idleTimeout().toNanos();
        this.selector = Selector.open();
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
    }

    /** Connections admitted and still open (waiting, served, or being drained after their last answer). */
    int openConnections() {
        return connections.size();
    }

    /** Connections refused since start because {@code maxConnections} were open. */
    long refusedConnections() {
        return refused.get();
    }

    /** Connections closed because their request head did not arrive within the head timeout. */
    long headTimeouts() {
        return headTimeouts.get();
    }

    /** Keep-alive connections closed after idling for the idle timeout. */
    long idleTimeouts() {
        return idleTimeouts.get();
    }

    /**
     * From a worker: the connection waits for its next request here (or, once its last answer was
     * written, is drained and closed). The worker must not touch it afterwards.
     */
    void giveBack(Connection c) {
        returned.add(c);
        selector.wakeup();
    }

    /** From a worker: the connection broke or ended; close it now. */
    void closeNow(Connection c) {
        connections.remove(c);
        c.close();
    }

    /** Stops accepting and closes every connection, waiting or served. */
    void stop() {
        running = false;
        selector.wakeup();
        for (Connection c : connections) {
            c.close();
        }
    }

    @Override
    public void run() {
        long nextTick = System.nanoTime() + TICK_NANOS;
        try {
            while (running) {
                long waitMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextTick - System.nanoTime()));
                selector.select(waitMillis);
                if (!running) {
                    break;
                }
                long now = System.nanoTime();
                takeBackReturned(now);
                processSelected(now);
                while (cancelled) {
                    // a cancelled key is deregistered at the next selection; only then may its channel block
                    cancelled = false;
                    selector.selectNow();
                    processSelected(now);
                }
                handOff();
                if (now - nextTick >= 0) {
                    expire(now);
                    nextTick = now + TICK_NANOS;
                }
            }
        } catch (IOException | RuntimeException e) {
            if (running) {
                LOG.log(System.Logger.Level.ERROR, "the HTTP dispatcher failed; the server stops accepting", e);
            }
        } finally {
            running = false;
            for (Connection c : connections) {
                c.close();
            }
            for (SelectionKey key : selector.keys()) {
                if (key.attachment() instanceof Connection c) {
                    c.close();
                }
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // stopping anyway
            }
        }
    }

    private void processSelected(long now) {
        Set<SelectionKey> selected = selector.selectedKeys();
        Iterator<SelectionKey> it = selected.iterator();
        while (it.hasNext()) {
            SelectionKey key = it.next();
            it.remove();
            try {
                if (!key.isValid()) {
                    continue;
                }
                if (key.isAcceptable()) {
                    accept(now);
                } else if (key.isReadable()) {
                    read(key, (Connection) key.attachment(), now);
                }
            } catch (CancelledKeyException e) {
                // closed meanwhile (stop)
            }
        }
    }

    private void accept(long now) {
        while (true) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                // e.g. out of file descriptors: the pending connection stays in the backlog and would be
                // reported again at once; stop accepting for a moment instead of spinning
                LOG.log(
                        System.Logger.Level.WARNING,
                        "accepting a connection failed (" + e + "); pausing accepts for 100 ms");
                pauseAccepting(now);
                return;
            }
            if (channel == null) {
                return;
            }
            if (connections.size() >= limits.maxConnections()) {
                refuse(channel, now);
                continue;
            }
            Connection c = null;
            try {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                c = new Connection(channel);
                c.state = Connection.State.WAITING;
                c.deadline = now + headTimeoutNanos;
                connections.add(c);
                channel.register(selector, SelectionKey.OP_READ, c);
            } catch (IOException e) {
                if (c != null) {
                    connections.remove(c);
                }
                closeQuietly(channel);
            }
        }
    }

    /** Answers the ready-made refusal (503 SlowDown), half-closes, drains briefly, closes. */
    private void refuse(SocketChannel channel, long now) {
        long n = refused.incrementAndGet();
        if (now - lastRefusalLog >= REFUSAL_LOG_INTERVAL_NANOS || lastRefusalLog == 0) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    (n - refusedAtLastLog) + " connection(s) refused with 503 SlowDown: "
                            + limits.maxConnections()
                            + " connections are open, the most allowed (server.max_connections); "
                            + n + " refused since start");
            lastRefusalLog = now;
            refusedAtLastLog = n;
        }
        if (refusing >= limits.maxConnections()) {
            closeQuietly(channel); // under a flood: no answer, no draining, just the file descriptor back
            return;
        }
        try {
            channel.configureBlocking(false);
            channel.write(ByteBuffer.wrap(refusal.get())); // a few hundred bytes into an empty send buffer
            channel.shutdownOutput();
            Connection c = new Connection(channel);
            c.state = Connection.State.CLOSING;
            c.deadline = now + LINGER_NANOS;
            c.drainBudget = REFUSED_LINGER_BYTES;
            c.refused = true;
            channel.register(selector, SelectionKey.OP_READ, c);
            refusing++;
        } catch (IOException e) {
            closeQuietly(channel);
        }
    }

    private void read(SelectionKey key, Connection c, long now) {
        try {
            if (c.state == Connection.State.CLOSING) {
                drain(c);
                return;
            }
            ConnectionInput input = c.input();
            boolean hadBytes = input.hasBufferedBytes();
            int n = input.readFrom(c.channel());
            if (n < 0) {
                close(c); // closed between requests (or mid-head: nothing to answer)
                return;
            }
            if (input.headReady()) {
                key.cancel();
                cancelled = true;
                ready.add(c);
            } else if (!hadBytes && n > 0) {
                c.deadline = now + headTimeoutNanos; // a keep-alive connection's next head has begun
            }
        } catch (IOException e) {
            close(c);
        }
    }

    /** Reads and drops what a closing connection's client still sends; closes at its end or beyond the budget. */
    private void drain(Connection c) throws IOException {
        while (true) {
            scratch.clear();
            int n = c.channel().read(scratch);
            if (n < 0) {
                close(c);
                return;
            }
            if (n == 0) {
                return;
            }
            c.drainBudget -= n;
            if (c.drainBudget <= 0) {
                close(c);
                return;
            }
        }
    }

    /** Connections whose head is complete go to the workers, their channels blocking again. */
    private void handOff() {
        for (Connection c : ready) {
            try {
                c.channel().configureBlocking(true);
                workers.execute(() -> serve.accept(c));
            } catch (IOException | RuntimeException e) {
                close(c);
            }
        }
        ready.clear();
    }

    private void takeBackReturned(long now) {
        Connection c;
        while ((c = returned.poll()) != null) {
            try {
                if (c.lingering()) {
                    c.state = Connection.State.CLOSING;
                    c.deadline = now + LINGER_NANOS;
                    c.drainBudget = LINGER_BYTES;
                } else {
                    c.state = Connection.State.WAITING;
                    c.input().release();
                    c.deadline = now + (c.input().hasBufferedBytes() ? headTimeoutNanos : idleTimeoutNanos);
                }
                c.channel().configureBlocking(false);
                c.channel().register(selector, SelectionKey.OP_READ, c);
            } catch (ClosedChannelException e) {
                connections.remove(c);
            } catch (IOException | RuntimeException e) {
                close(c);
            }
        }
    }

    /** Closes what waited too long: heads past the head timeout, idle connections, closing ones past their linger. */
    private void expire(long now) {
        if (acceptPausedUntil != 0 && now - acceptPausedUntil >= 0) {
            acceptPausedUntil = 0;
            for (SelectionKey key : selector.keys()) {
                if (key.channel() == server && key.isValid()) {
                    key.interestOps(SelectionKey.OP_ACCEPT);
                }
            }
        }
        for (SelectionKey key : selector.keys()) {
            if (!(key.attachment() instanceof Connection c) || !key.isValid() || now - c.deadline < 0) {
                continue;
            }
            if (c.state == Connection.State.WAITING) {
                if (c.input().hasBufferedBytes() || c.neverServed()) {
                    headTimeouts.incrementAndGet();
                } else {
                    idleTimeouts.incrementAndGet();
                }
            }
            close(c);
        }
    }

    private void pauseAccepting(long now) {
        acceptPausedUntil = now + TICK_NANOS;
        for (SelectionKey key : selector.keys()) {
            if (key.channel() == server && key.isValid()) {
                key.interestOps(0);
            }
        }
    }

    private void close(Connection c) {
        if (c.refused) {
            if (c.channel().isOpen()) {
                refusing--;
            }
        } else {
            connections.remove(c);
        }
        c.close();
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }

    boolean running() {
        return running;
    }

    int workerThreads() {
        return workers.threads();
    }
}
