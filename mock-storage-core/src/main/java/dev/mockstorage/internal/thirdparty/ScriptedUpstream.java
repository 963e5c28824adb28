package dev.mockstorage.internal.thirdparty;

import dev.mockstorage.thirdparty.Fault;
import dev.mockstorage.thirdparty.Reply;
import dev.mockstorage.thirdparty.ThirdParty;
import dev.mockstorage.thirdparty.ThirdPartyJson;
import dev.mockstorage.thirdparty.ThirdPartyScript;
import dev.mockstorage.thirdparty.UpstreamCall;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The in-process third party: an HTTP/1.1 server on 127.0.0.1 and an ephemeral port, started on first
 * use, that answers each call from the newest matching script and records it. It writes its answers on
 * the raw socket, so faults are real (a TCP reset, a body cut short, silence) and the server's fetch
 * code meets them exactly as it would meet a real upstream. Every answer closes the connection.
 */
public final class ScriptedUpstream implements ThirdParty, AutoCloseable {
    private static final int MAX_HEAD_BYTES = 64 * 1024;
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
                        throw new IllegalArgumentException("body_classpath \"" + r.bodyClasspath() + "\" is not on the classpath");
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
                throw new UncheckedIOException("could not start the scripted third-party upstream: " + e.getMessage(), e);
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
                    + (scripts.isEmpty() ? "none" : String.join(", ", scripts.stream().map(st -> st.script.id()).toList())));
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
            String requestLine = readLine(in);
            if (requestLine == null || requestLine.isEmpty()) {
                return;
            }
            String[] parts = requestLine.split(" ");
            if (parts.length != 3) {
                return;
            }
            String method = parts[0].toUpperCase(Locale.ROOT);
            String target = parts[1];
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                }
            }
            long contentLength = parseLong(headers.get("content-length"));
            if (contentLength > 0) {
                in.skipNBytes(contentLength);
            }
            String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
            String bucket = null;
            String key = null;
            if (path.startsWith("/") && path.length() > 1) {
                int slash = path.indexOf('/', 1);
                bucket = decode(slash < 0 ? path.substring(1) : path.substring(1, slash));
                key = slash < 0 ? null : decode(path.substring(slash + 1));
            }
            State matched = null;
            for (int i = scripts.size() - 1; i >= 0; i--) {
                State s = scripts.get(i);
                if (s.script.match().matches(method, target, bucket, key)) {
                    matched = s;
                    break;
                }
            }
            OutputStream out = socket.getOutputStream();
            if (matched == null) {
                calls.add(new UpstreamCall(clock.instant(), method, target, bucket, key, headers, null, 404, null));
                byte[] body = ("mock-storage: no third-party script matches " + method + " " + target
                        + "; add one with thirdParty().script(...) or POST /api/v1/third-party/scripts\n").getBytes(StandardCharsets.UTF_8);
                writeHead(out, 404, Map.of("Content-Type", "text/plain; charset=utf-8", "X-Mock-Storage-Unmatched", "true"), body.length);
                if (!method.equals("HEAD")) {
                    out.write(body);
                }
                out.flush();
                return;
            }
            int index = matched.next();
            Reply reply = matched.script.replies().get(index);
            calls.add(new UpstreamCall(clock.instant(), method, target, bucket, key, headers, matched.script.id(),
                    reply.fault() == null ? reply.status() : -1, reply.fault()));
            if (!reply.delay().isZero()) {
                Thread.sleep(reply.delay().toMillis()); // the scripted delay itself
            }
            play(socket, out, in, method, reply, matched.resources.get(index));
        } catch (IOException e) {
            // the caller went away (e.g. it timed out): nothing to answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(socket);
            closeQuietly(socket);
        }
    }

    private static void play(Socket socket, OutputStream out, InputStream in, String method, Reply reply, URL resource) throws IOException {
        if (reply.fault() == Fault.CONNECTION_RESET) {
            socket.setSoLinger(true, 0); // close() now sends RST
            return;
        }
        if (reply.fault() == Fault.NO_ANSWER) {
            socket.setSoTimeout(0);
            while (in.read() >= 0) {
                // silence until the caller gives up and closes, or the upstream is closed
            }
            return;
        }
        long length;
        InputStream body;
        if (reply.bodyFile() != null) {
            length = Files.size(reply.bodyFile());
            body = Files.newInputStream(reply.bodyFile());
        } else if (reply.bodyClasspath() != null) {
            URLConnection c = resource.openConnection();
            length = c.getContentLengthLong();
            body = c.getInputStream();
            if (length < 0) {
                byte[] all = body.readAllBytes();
                body.close();
                length = all.length;
                body = new ByteArrayInputStream(all);
            }
        } else {
            byte[] bytes = reply.body();
            length = bytes.length;
            body = new ByteArrayInputStream(bytes);
        }
        try (InputStream b = body) {
            boolean bodiless = method.equals("HEAD") || reply.status() == 204 || reply.status() == 304 || reply.status() < 200;
            if (reply.fault() == Fault.TRUNCATED_BODY) {
                long declared = Math.max(length, 1);
                writeHead(out, reply.status(), reply.headers(), declared);
                copy(b, out, length / 2);
                out.flush();
                return;
            }
            writeHead(out, reply.status(), reply.headers(), length);
            if (!bodiless) {
                copy(b, out, length);
            }
            out.flush();
        }
    }

    private static void writeHead(OutputStream out, int status, Map<String, String> headers, long length) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        headers.forEach((n, v) -> {
            if (!n.equalsIgnoreCase("content-length") && !n.equalsIgnoreCase("connection") && !n.equalsIgnoreCase("transfer-encoding")) {
                sb.append(n).append(": ").append(v).append("\r\n");
            }
        });
        sb.append("Content-Length: ").append(length).append("\r\n");
        sb.append("Connection: close\r\n\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void copy(InputStream in, OutputStream out, long n) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long left = n;
        while (left > 0) {
            int r = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (r < 0) {
                throw new IOException("body source ended early");
            }
            out.write(buffer, 0, r);
            left -= r;
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 204 -> "No Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Status";
        };
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int total = 0;
        while (true) {
            int c = in.read();
            if (c < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            if (c == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            if (++total > MAX_HEAD_BYTES) {
                throw new IOException("request head too large");
            }
            line.write(c);
        }
    }

    private static long parseLong(String s) {
        try {
            return s == null ? -1 : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Percent-decoding of a path (UTF-8; {@code +} stays {@code +}). */
    static String decode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%' && i + 2 < bytes.length) {
                int hi = Character.digit(bytes[i + 1], 16);
                int lo = Character.digit(bytes[i + 2], 16);
                if (hi >= 0 && lo >= 0) {
                    out.write(hi * 16 + lo);
                    i += 2;
                    continue;
                }
            }
            out.write(bytes[i]);
        }
        return out.toString(StandardCharsets.UTF_8);
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
