package dev.mockstorage.internal.thirdparty;

import dev.mockstorage.internal.config.Config;
import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fetches {@code bucket/key} over HTTP from the configured third party: expands the bucket's URL
 * template ({@code {bucket}}, {@code {key}} with each key segment percent-encoded, {@code /} kept),
 * sends the configured headers, and returns the response with its body still streaming. Connect,
 * response-head and body-idle waits are each bounded by {@code timeout_ms}; connection errors and 5xx
 * answers are retried {@code retries} times, timeouts are not. Buckets without a template of their own
 * and without {@code third_party.url} go to the in-process {@link ScriptedUpstream}, while it has scripts.
 */
public final class ThirdPartySource implements AutoCloseable {
    private final Config.ThirdParty config;
    private final ScriptedUpstream scripted;
    private final Map<String, Config.Bucket> buckets;
    private volatile HttpClient client;
    private ExecutorService executor;
    private boolean closed;

    /**
     * @param config   the {@code third_party} settings
     * @param scripted the in-process upstream for buckets without a URL, or null
     */
    public ThirdPartySource(Config.ThirdParty config, ScriptedUpstream scripted) {
        this.config = config;
        this.scripted = scripted;
        if (config.buckets() == null) {
            this.buckets = null;
        } else {
            this.buckets = new LinkedHashMap<>();
            config.buckets().forEach(b -> buckets.put(b.name(), b));
        }
    }

    /** Whether a miss in this bucket reads through now. */
    public boolean covers(String bucket) {
        return template(bucket) != null;
    }

    private String template(String bucket) {
        if (!config.enabled()) {
            return null;
        }
        String own = null;
        if (buckets != null) {
            Config.Bucket b = buckets.get(bucket);
            if (b == null) {
                return null;
            }
            own = b.url();
        }
        if (own != null) {
            return own;
        }
        if (config.url() != null) {
            return config.url();
        }
        return scripted != null && scripted.active() ? scripted.template() : null;
    }

    /** The URL of {@code bucket/key} per the template; null when the bucket does not read through. */
    public String url(String bucket, String key) {
        String template = template(bucket);
        return template == null ? null : expand(template, bucket, key);
    }

    static String expand(String template, String bucket, String key) {
        StringBuilder k = new StringBuilder();
        String[] segments = key.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            k.append(i == 0 ? "" : "/").append(encode(segments[i]));
        }
        return template.replace("{bucket}", encode(bucket)).replace("{key}", k.toString());
    }

    /** RFC 3986 percent-encoding of one path segment: everything but unreserved characters. */
    static String encode(String segment) {
        StringBuilder sb = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return sb.toString();
    }

    /** {@code timeout_ms}. */
    public int timeoutMs() {
        return config.timeoutMs();
    }

    /**
     * GETs {@code bucket/key}. Returns whatever status the upstream finally answered (5xx only after the
     * retries ran out); the caller decides what a status means and must close the response.
     *
     * @throws StorageException {@code ServiceUnavailable} naming the URL when it could not be reached or timed out
     */
    public UpstreamResponse fetch(String bucket, String key) {
        String url = url(bucket, key);
        if (url == null) {
            throw new IllegalStateException("bucket " + bucket + " has no third-party source");
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw unavailable("third-party source URL " + url + " is not valid: " + e.getMessage(), e);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(Duration.ofMillis(config.timeoutMs()));
        try {
            config.headers().forEach(request::header);
        } catch (IllegalArgumentException e) {
            throw unavailable("third_party.headers cannot be sent: " + e.getMessage(), e);
        }
        HttpRequest built = request.build();
        for (int attempt = 0; ; attempt++) {
            boolean last = attempt >= config.retries();
            HttpResponse<Flow.Publisher<List<ByteBuffer>>> response;
            try {
                response = client().send(built, HttpResponse.BodyHandlers.ofPublisher());
            } catch (HttpConnectTimeoutException e) {
                throw unavailable(
                        "third-party source " + url + " could not be connected to: timed out after "
                                + config.timeoutMs() + " ms",
                        e);
            } catch (HttpTimeoutException e) {
                throw unavailable(
                        "third-party source " + url + " did not answer: timed out after " + config.timeoutMs() + " ms",
                        e);
            } catch (IOException e) {
                if (last) {
                    throw unavailable(
                            "third-party source " + url + " failed: " + describe(e)
                                    + (attempt > 0 ? " (after " + (attempt + 1) + " attempts)" : ""),
                            e);
                }
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unavailable("interrupted while fetching " + url, e);
            }
            TimedBodyStream body = new TimedBodyStream(url, config.timeoutMs());
            response.body().subscribe(body);
            if (response.statusCode() >= 500 && !last) {
                body.close();
                continue;
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            response.headers().map().forEach((n, v) -> headers.put(n.toLowerCase(Locale.ROOT), v));
            long length = response.headers().firstValueAsLong("content-length").orElse(-1);
            return new UpstreamResponse(url, response.statusCode(), headers, body, length);
        }
    }

    private static String describe(IOException e) {
        String kind = e instanceof ConnectException
                ? "connection refused"
                : e.getClass().getSimpleName();
        return e.getMessage() == null ? kind : kind + ": " + e.getMessage();
    }

    private static StorageException unavailable(String message, Throwable cause) {
        return new StorageException(ErrorCode.ServiceUnavailable, message, null, cause);
    }

    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    if (closed) {
                        throw unavailable("the server is shutting down", null);
                    }
                    AtomicInteger n = new AtomicInteger();
                    executor = Executors.newCachedThreadPool(r -> {
                        Thread t = new Thread(r, "mock-storage-third-party-fetch-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
                    c = HttpClient.newBuilder()
                            .executor(executor)
                            .version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofMillis(config.timeoutMs()))
                            .followRedirects(HttpClient.Redirect.NORMAL)
                            .build();
                    client = c;
                }
            }
        }
        return c;
    }

    /** Stops the fetch threads (the JDK 17 HttpClient itself has no close; its selector ends when it is collected). */
    @Override
    public synchronized void close() {
        closed = true;
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
