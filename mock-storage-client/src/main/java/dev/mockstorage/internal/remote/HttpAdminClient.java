package dev.mockstorage.internal.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mockstorage.MockStorageRuntime;
import dev.mockstorage.StorageClock;
import dev.mockstorage.StorageNodes;
import dev.mockstorage.internal.contract.AdminJson;
import dev.mockstorage.internal.contract.AdminRoute;
import dev.mockstorage.journal.RecordedRequest;
import dev.mockstorage.journal.RequestJournal;
import dev.mockstorage.stats.ConsistencyReport;
import dev.mockstorage.stats.ServerStats;
import dev.mockstorage.thirdparty.Match;
import dev.mockstorage.thirdparty.Reply;
import dev.mockstorage.thirdparty.ThirdParty;
import dev.mockstorage.thirdparty.ThirdPartyJson;
import dev.mockstorage.thirdparty.ThirdPartyScript;
import dev.mockstorage.thirdparty.UpstreamCall;
import dev.mockstorage.verification.Times;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@link MockStorageRuntime} over the admin HTTP API of a server in another process: every method is
 * one request of the admin API's route table ({@link AdminRoute}), its answer read with {@link AdminJson}
 * (third-party values with {@code ThirdPartyJson}), so test code reads the same against the container as
 * in-process.
 *
 * <p>Errors come back as the exception the in-process method throws: a verification that fails is an
 * {@link AssertionError} with the server's message; an await-idle timeout an {@link IllegalStateException}
 * listing the open tasks; an unknown node, bucket name or key an {@link IllegalArgumentException}; a
 * third-party script while read-through to the scripted upstream is off an {@link IllegalStateException}.
 * A server that does not answer is an {@link UncheckedIOException} naming the endpoint.
 *
 * <p>Every call is signed with AWS Signature Version 4 by the key pair given here ({@link AdminSigner}): a server in
 * strict mode ({@code auth.mode=strict}) refuses admin calls that are not; wrong keys come back as an
 * {@link IllegalArgumentException} with the server's {@code SignatureDoesNotMatch} or {@code InvalidAccessKeyId}.
 *
 * <p>What cannot cross the wire as it is: {@link Reply#bodyFromFile} and {@link Reply#bodyFromClasspath}
 * name a file or resource of <em>this</em> JVM, which the server cannot see. They are read here when the
 * script is added (as the in-process server does) and sent inline as the body, up to
 * {@link #MAX_INLINE_BODY_BYTES}; a larger body is refused, saying to copy the file into the container and
 * script it from there. {@link ThirdParty#loadScripts(Path)} reads the file here, resolving relative
 * {@code body_file}s against its directory.
 */
public final class HttpAdminClient implements MockStorageRuntime {

    /** The largest body a script may carry inline from a file or classpath resource (the admin API takes 16 MiB per request). */
    public static final int MAX_INLINE_BODY_BYTES = InlineBodies.MAX_BYTES;

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String JSON_TYPE = "application/json";
    /** Where the third party's routes live: a 404 there means the server has no scripted third party. */
    private static final String THIRD_PARTY = AdminRoute.API + "/third-party/";
    /** Error codes for which the in-process method throws IllegalStateException rather than IllegalArgumentException. */
    private static final Set<String> STATE_ERRORS =
            Set.of("NotIdle", "InvalidRequest", "ServiceUnavailable", "SlowDown");

    private final URI endpoint;
    private final String accessKey;
    private final String secretKey;
    private final HttpClient http;
    private final AdminSigner signer;
    private final RemoteThirdParty thirdParty = new RemoteThirdParty();
    private final RemoteJournal journal = new RemoteJournal();
    private final RemoteNodes nodes = new RemoteNodes();
    private final RemoteClock clock = new RemoteClock();

    /** A server with the default credentials ({@link #DEFAULT_ACCESS_KEY}/{@link #DEFAULT_SECRET_KEY}). */
    public HttpAdminClient(URI endpoint) {
        this(endpoint, DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY);
    }

    /**
     * @param endpoint  {@code http://host:port} of the server (S3 and the admin API share the port)
     * @param accessKey the access key the server knows ({@code auth.access_key}), handed out by {@link #accessKey()}
     * @param secretKey its secret key ({@code auth.secret_key})
     */
    public HttpAdminClient(URI endpoint, String accessKey, String secretKey) {
        Objects.requireNonNull(endpoint, "endpoint");
        this.accessKey = Objects.requireNonNull(accessKey, "accessKey");
        this.secretKey = Objects.requireNonNull(secretKey, "secretKey");
        String text = endpoint.toString();
        this.endpoint = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        // NanoHTTPD speaks HTTP/1.1 only; asking for h2c would cost an upgrade attempt per connection
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        this.signer = new AdminSigner(accessKey, secretKey);
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public String region() {
        return DEFAULT_REGION;
    }

    @Override
    public String accessKey() {
        return accessKey;
    }

    @Override
    public String secretKey() {
        return secretKey;
    }

    @Override
    public ThirdParty thirdParty() {
        return thirdParty;
    }

    @Override
    public RequestJournal requests() {
        return journal;
    }

    @Override
    public StorageNodes nodes() {
        return nodes;
    }

    @Override
    public StorageClock clock() {
        return clock;
    }

    @Override
    public ServerStats stats() {
        return AdminJson.readStats(json(call(AdminRoute.STATS.request())));
    }

    @Override
    public ConsistencyReport checkConsistency(boolean repair) {
        // a check reads every replica whole: give it longer than an ordinary admin call
        return AdminJson.readConsistencyReport(json(send(
                AdminRoute.CONSISTENCY_CHECK.request().with("repair", repair), null, null, TIMEOUT.multipliedBy(10))));
    }

    @Override
    public void awaitIdle(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("awaitIdle: timeout " + timeout + " is negative");
        }
        // the server waits up to timeout; the HTTP call must outlive that wait
        send(AdminRoute.AWAIT_IDLE.request().with("timeout_ms", timeout.toMillis()), null, null, timeout.plus(TIMEOUT));
    }

    @Override
    public void createBucket(String bucket) {
        call(AdminRoute.CREATE_BUCKET.request(Objects.requireNonNull(bucket, "bucket")));
    }

    @Override
    public void putObject(String bucket, String key, byte[] content, String contentType) {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(content, "content");
        send(AdminRoute.UPLOAD_OBJECT.request().with("bucket", bucket).with("key", key), content, contentType, TIMEOUT);
    }

    @Override
    public void reset() {
        call(AdminRoute.RESET.request());
    }

    @Override
    public String toString() {
        return "HttpAdminClient[" + endpoint + "]";
    }

    // ---------------------------------------------------------------- the handles

    private final class RemoteThirdParty implements ThirdParty {
        @Override
        public List<ThirdPartyScript> script(ThirdPartyScript... scripts) {
            List<ThirdPartyScript> inlined = new ArrayList<>();
            for (ThirdPartyScript s : scripts) {
                inlined.add(InlineBodies.inline(s));
            }
            byte[] body = ThirdPartyJson.writeScripts(inlined).getBytes(StandardCharsets.UTF_8);
            return ThirdPartyJson.parseScripts(
                    text(send(AdminRoute.THIRD_PARTY_ADD_SCRIPTS.request(), body, JSON_TYPE, TIMEOUT)), null);
        }

        @Override
        public List<ThirdPartyScript> loadScripts(Path json) {
            Objects.requireNonNull(json, "json");
            String text;
            try {
                text = Files.readString(json);
            } catch (IOException e) {
                throw new IllegalArgumentException(json + ": cannot read the script file: " + e, e);
            }
            List<ThirdPartyScript> parsed;
            try {
                Path dir = json.toAbsolutePath().getParent();
                parsed = ThirdPartyJson.parseScripts(text, dir);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(json + ": " + e.getMessage(), e);
            }
            return script(parsed.toArray(new ThirdPartyScript[0]));
        }

        @Override
        public List<ThirdPartyScript> loadScripts(String json) {
            return script(ThirdPartyJson.parseScripts(json, null).toArray(new ThirdPartyScript[0]));
        }

        @Override
        public List<ThirdPartyScript> scripts() {
            return ThirdPartyJson.parseScripts(text(call(AdminRoute.THIRD_PARTY_SCRIPTS.request())), null);
        }

        @Override
        public void remove(String scriptId) {
            call(AdminRoute.THIRD_PARTY_REMOVE_SCRIPT.request(Objects.requireNonNull(scriptId, "scriptId")));
        }

        @Override
        public void reset() {
            call(AdminRoute.THIRD_PARTY_RESET.request());
        }

        @Override
        public void resetCalls() {
            call(AdminRoute.THIRD_PARTY_RESET_CALLS.request());
        }

        @Override
        public List<UpstreamCall> calls() {
            return ThirdPartyJson.parseCalls(text(call(AdminRoute.THIRD_PARTY_CALLS.request())));
        }

        @Override
        public List<UpstreamCall> unmatchedCalls() {
            return ThirdPartyJson.parseCalls(
                    text(call(AdminRoute.THIRD_PARTY_CALLS.request().with("unmatched", true))));
        }

        /** Verified by the server (one request, its message), as in-process. */
        @Override
        public void verify(Times times, Match match) {
            Objects.requireNonNull(times, "times");
            Objects.requireNonNull(match, "match");
            byte[] body = ThirdPartyJson.writeVerification(times, match).getBytes(StandardCharsets.UTF_8);
            send(AdminRoute.THIRD_PARTY_VERIFY.request(), body, JSON_TYPE, TIMEOUT); // 409 becomes the AssertionError
        }

        @Override
        public String toString() {
            return "ThirdParty of " + HttpAdminClient.this;
        }
    }

    private final class RemoteJournal implements RequestJournal {
        @Override
        public List<RecordedRequest> all() {
            return AdminJson.readRequests(json(call(AdminRoute.GET_REQUESTS.request())));
        }

        @Override
        public void clear() {
            call(AdminRoute.CLEAR_REQUESTS.request());
        }
    }

    private final class RemoteNodes implements StorageNodes {
        @Override
        public List<Node> list() {
            return AdminJson.readNodes(json(call(AdminRoute.LIST_NODES.request())));
        }

        @Override
        public void down(String nodeId) {
            call(AdminRoute.NODE_DOWN.request(node(nodeId)));
        }

        @Override
        public void up(String nodeId) {
            call(AdminRoute.NODE_UP.request(node(nodeId)));
        }

        @Override
        public void readOnly(String nodeId) {
            call(AdminRoute.NODE_READ_ONLY.request(node(nodeId)));
        }

        @Override
        public void slow(String nodeId, Duration delay) {
            Objects.requireNonNull(delay, "delay");
            call(AdminRoute.NODE_DELAY.request(node(nodeId)).with("ms", delay.toMillis()));
        }

        @Override
        public void corrupt(String bucket, String key, String nodeId) {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(key, "key");
            call(AdminRoute.NODE_CORRUPT
                    .request(node(nodeId))
                    .with("bucket", bucket)
                    .with("key", key));
        }

        private static String node(String nodeId) {
            return Objects.requireNonNull(nodeId, "nodeId");
        }
    }

    private final class RemoteClock implements StorageClock {
        @Override
        public Instant now() {
            return AdminJson.readClock(json(call(AdminRoute.CLOCK.request()))).now();
        }

        @Override
        public Instant advance(Duration amount) {
            Objects.requireNonNull(amount, "amount");
            if (amount.isNegative()) {
                throw new IllegalArgumentException("the clock only moves forward: cannot advance it by " + amount);
            }
            return AdminJson.readClock(
                            json(call(AdminRoute.ADVANCE_CLOCK.request().with("ms", amount.toMillis()))))
                    .now();
        }

        @Override
        public Duration offset() {
            return AdminJson.readClock(json(call(AdminRoute.CLOCK.request()))).offset();
        }

        @Override
        public String toString() {
            return "StorageClock of " + HttpAdminClient.this;
        }
    }

    // ---------------------------------------------------------------- HTTP

    /** One admin call without a body, with the default timeout. */
    private HttpResponse<byte[]> call(AdminRoute.Request request) {
        return send(request, null, null, TIMEOUT);
    }

    /** One admin call; any answer but 2xx becomes the exception the in-process method throws. */
    private HttpResponse<byte[]> send(AdminRoute.Request request, byte[] body, String contentType, Duration timeout) {
        String method = request.method();
        String target = request.target();
        URI uri = URI.create(endpoint + target);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        signer.headers(method, uri, body).forEach(b::header); // strict mode checks them; open mode ignores them
        HttpResponse<byte[]> response;
        try {
            response = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException e) {
            throw new UncheckedIOException(
                    "mock-storage at " + endpoint + " does not answer (" + method + " " + target
                            + "): is the container running?",
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method + " " + uri, e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response;
        }
        AdminJson.Error error = AdminJson.readError(new String(response.body(), StandardCharsets.UTF_8));
        if (status == 409 && "VerificationFailed".equals(error.code())) {
            throw new AssertionError(error.message()); // what ThirdParty.verify throws in-process
        }
        throw failureOf(method, target, status, error);
    }

    /** The exception for an error answer {@code {"error": code, "message": ...}} to {@code method target}. */
    static RuntimeException failureOf(String method, String target, int status, AdminJson.Error error) {
        String code = error.code();
        String message = error.message();
        if (status == 404 && target.startsWith(THIRD_PARTY) && "NotFound".equals(code)) {
            return new IllegalStateException("the server has no scripted third party (third_party.enabled=false or "
                    + "third_party.url set): " + message);
        }
        if (status == 404 && "NotFound".equals(code) && message.startsWith("no admin endpoint")) {
            return new UnsupportedOperationException("this mock-storage server has no " + method + " " + target
                    + " (an older image than this client?): " + message);
        }
        if (status == 403) {
            // strict mode and keys the server does not know (InvalidAccessKeyId, SignatureDoesNotMatch), or a clock far
            // off
            return new IllegalArgumentException(
                    "the server refused " + method + " " + target + ": " + code + ": " + message);
        }
        if (status >= 400 && status < 500 && (code == null || !STATE_ERRORS.contains(code))) {
            return new IllegalArgumentException(message);
        }
        return new IllegalStateException(
                status >= 500 ? method + " " + target + " answered " + status + " " + code + ": " + message : message);
    }

    private static JsonNode json(HttpResponse<byte[]> response) {
        try {
            return AdminJson.read(response.body());
        } catch (UncheckedIOException e) {
            throw new IllegalStateException(
                    response.request().method() + " " + response.uri() + " answered something that is "
                            + e.getMessage(),
                    e);
        }
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
