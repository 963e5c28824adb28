package dev.mockstorage.internal.thirdparty;

import dev.mockstorage.thirdparty.Fault;
import dev.mockstorage.thirdparty.Reply;
import dev.mockstorage.thirdparty.ThirdParty;
import dev.mockstorage.thirdparty.ThirdPartyJson;
import dev.mockstorage.thirdparty.ThirdPartyScript;
import dev.mockstorage.thirdparty.UpstreamCall;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The in-process third party: an HTTP/1.1 server on 127.0.0.1 and an ephemeral port, started on first
 * use, that answers each call from the newest matching script and records it. The {@link ReplyWriter}
 * writes its answers on the raw socket, so faults are real (a TCP reset, a body cut short, silence) and
 * the server's fetch code meets them exactly as it would meet a real upstream. Every answer closes the
 * connection.
 */
public final class ScriptedUpstream implements ThirdParty, AutoCloseable {
    private static final int SOCKET_TIMEOUT_MS = 30_000;

    private final String refusal;
    private final Clock clock;
    private final List<State> scripts = new CopyOnWriteArrayList<>();
    private final List<UpstreamCall> calls = new CopyOnWriteArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger ids = new AtomicInteger();
    private ServerSocket server;
    private ExecutorService threads;
    private boolean closed;

    /**
     * @param refusal null when scripting is possible, else why not (the message of {@link #script})
     */
    public ScriptedUpstream(String refusal, Clock clock) {
        this.refusal = refusal;
        this.clock = clock;
    }

    /** A script with its own position in its reply sequence. */
    private static final class State {
        final ThirdPartyScript script;
        /** Classpath bodies resolved with the scripting thread's class loader, by reply index. */
        final Map<Integer, URL> resources = new ConcurrentHashMap<>();

        final AtomicInteger served = new AtomicInteger();

        State(ThirdPartyScript script) {
            this.script = script;
            List<Reply> replies = script.replies();
            for (int i = 0; i < replies.size(); i++) {
                Reply r = replies.get(i);
                if (r.bodyClasspath() != null) {
                    URL url = resource(r.bodyClasspath());
                    if (url == null) {
                        throw new IllegalArgumentException(
                                "body_classpath \"" + r.bodyClasspath() + "\" is not on the classpath");
                    }
                    resources.put(i, url);
                }
                if (r.bodyFile() != null && !Files.isRegularFile(r.bodyFile())) {
                    throw new IllegalArgumentException("body_file \"" + r.bodyFile() + "\" is not a readable file");
                }
            }
        }

        /** The index of the reply for the next call. */
        int next() {
            return Math.min(served.getAndIncrement(), script.replies().size() - 1);
        }
    }

    /** True while at least one script is set: only then do misses read through to this upstream. */
    public boolean active() {
        return !scripts.isEmpty();
    }

    /** {@code http://127.0.0.1:PORT/{bucket}/{key}}, starting the server on first use. */
    public String template() {
        return "http://127.0.0.1:" + port() + "/{bucket}/{key}";
    }

    /** The port, starting the server on first use. */
    public synchronized int port() {
        if (closed) {
            throw new IllegalStateException("the scripted third-party upstream is closed");
        }
        if (server == null) {
            try {
                ServerSocket socket = new ServerSocket();
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                server = socket;
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "could not start the scripted third-party upstream: " + e.getMessage(), e);
            }
            threads = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "mock-storage-third-party-" + server.getLocalPort());
                t.setDaemon(true);
                return t;
            });
            ServerSocket s = server;
            threads.execute(() -> accept(s));
        }
        return server.getLocalPort();
    }

    // ---------------------------------------------------------------- ThirdParty

    @Override
    public List<ThirdPartyScript> script(ThirdPartyScript... added) {
        if (refusal != null) {
            throw new IllegalStateException(refusal);
        }
        List<State> states = new ArrayList<>();
        for (ThirdPartyScript s : added) {
            states.add(new State(s.id() != null ? s : s.withId("script-" + ids.incrementAndGet())));
        }
        scripts.addAll(states); // all or nothing: a bad body above adds none
        return states.stream().map(st -> st.script).toList();
    }

    @Override
    public List<ThirdPartyScript> loadScripts(Path json) {
        String text;
        try {
            text = Files.readString(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(json + ": cannot read: " + e, e);
        }
        try {
            Path dir = json.toAbsolutePath().getParent();
            return script(ThirdPartyJson.parseScripts(text, dir).toArray(new ThirdPartyScript[0]));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(json + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<ThirdPartyScript> loadScripts(String json) {
        return script(ThirdPartyJson.parseScripts(json, null).toArray(new ThirdPartyScript[0]));
    }

    @Override
    public List<ThirdPartyScript> scripts() {
        return scripts.stream().map(s -> s.script).toList();
    }

    @Override
    public void remove(String scriptId) {
        if (!scripts.removeIf(st -> st.script.id().equals(scriptId))) {
            throw new IllegalArgumentException("no third-party script with id '" + scriptId + "'; the scripts are "
                    + (scripts.isEmpty()
                            ? "none"
                            : String.join(
                                    ", ",
                                    scripts.stream().map(st -> st.script.id()).toList())));
        }
    }

    @Override
    public void reset() {
        scripts.clear();
        calls.clear();
    }

    @Override
    public void resetCalls() {
        calls.clear();
    }

    @Override
    public List<UpstreamCall> calls() {
        return List.copyOf(calls);
    }

    @Override
    public List<UpstreamCall> unmatchedCalls() {
        return calls.stream().filter(UpstreamCall::unmatched).toList();
    }

    // ---------------------------------------------------------------- serving

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                continue; // closed: the loop ends
            }
            open.add(client);
            try {
                threads.execute(() -> serve(client));
            } catch (RuntimeException e) {
                closeQuietly(client);
            }
        }
    }

    private void serve(Socket socket) {
        try {
            socket.setSoTimeout(SOCKET_TIMEOUT_MS);
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            UpstreamRequest request = UpstreamRequest.read(in);
            if (request == null) {
                return;
            }
            State matched = null;
            for (int i = scripts.size() - 1; i >= 0; i--) {
                State s = scripts.get(i);
                if (s.script.match().matches(request.method(), request.target(), request.bucket(), request.key())) {
                    matched = s;
                    break;
                }
            }
            if (matched == null) {
                calls.add(call(request, null, 404, null));
                ReplyWriter.unscripted(socket.getOutputStream(), request);
                return;
            }
            int index = matched.next();
            Reply reply = matched.script.replies().get(index);
            calls.add(call(request, matched.script.id(), reply.fault() == null ? reply.status() : -1, reply.fault()));
            if (!reply.delay().isZero()) {
                Thread.sleep(reply.delay().toMillis()); // the scripted delay itself
            }
            ReplyWriter.play(socket, in, request.method(), reply, matched.resources.get(index));
        } catch (IOException e) {
            // the caller went away (e.g. it timed out): nothing to answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(socket);
            closeQuietly(socket);
        }
    }

    private UpstreamCall call(UpstreamRequest request, String scriptId, int status, Fault fault) {
        return new UpstreamCall(
                clock.instant(),
                request.method(),
                request.target(),
                request.bucket(),
                request.key(),
                request.headers(),
                scriptId,
                status,
                fault);
    }

    private static URL resource(String name) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        URL url = context == null ? null : context.getResource(name);
        return url != null ? url : ScriptedUpstream.class.getClassLoader().getResource(name);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Stops the server and drops every open connection. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (server != null) {
            try {
                server.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            open.forEach(ScriptedUpstream::closeQuietly);
            threads.shutdownNow();
        }
    }
}
