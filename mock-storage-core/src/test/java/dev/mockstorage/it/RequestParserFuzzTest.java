package dev.mockstorage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mockstorage.testing.RawHttp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded random fuzzer of the request parser, end to end: request lines with random and
 * unknown methods, targets with random bytes and good and bad {@code %} escapes, HTTP versions, header
 * blocks with random, duplicated, oversized and lying framing headers ({@code Content-Length},
 * {@code Transfer-Encoding}, {@code aws-chunked}, {@code Expect}), bodies with plain, chunked and
 * aws-chunked framing, and byte-level mutations of the whole request. Each case goes to one server
 * over a fresh raw socket; the client half-closes after sending, so a body shorter than announced ends
 * instead of waiting. Every answer must be HTTP with a status below 500 (501 NotImplemented, the right
 * answer to an unsupported Transfer-Encoding, excepted); the connection may close without an answer
 * only when the bytes never completed a request head (nothing can be answered then). The server must
 * answer {@code /health} throughout and write nothing outside its data directory.
 *
 * <p>Bounded by {@value #CASES} cases or {@value #BUDGET_SECONDS} s, whichever comes first; the seed is
 * printed ({@code -Dfuzz.seed=N} replays a run).
 */
class RequestParserFuzzTest {

    private static final int CASES = 2500;
    private static final int BUDGET_SECONDS = 20;
    private static final Pattern STATUS_LINE = Pattern.compile("^HTTP/1\\.1 (\\d{3}) ");
    private static final List<String> METHODS = List.of(
            "GET",
            "PUT",
            "HEAD",
            "DELETE",
            "POST",
            "OPTIONS",
            "PATCH",
            "TRACE",
            "FOO",
            "get",
            "PUT ",
            "",
            "G\u00e9T",
            "CONNECT");
    private static final List<String> PATHS = List.of(
            "/",
            "/bkt",
            "/bkt/",
            "/bkt/key",
            "/bkt/dir/key.txt",
            "/fz",
            "/fz/k",
            "/health",
            "/metrics",
            "/bkt/..",
            "/bkt/../../etc/passwd",
            "//",
            "/bkt//x",
            "*",
            "bkt/key",
            "http://host/bkt/key",
            "/%62kt/k",
            "/bkt/%2e%2e/%2e%2e/x");
    private static final List<String> QUERIES = List.of(
            "",
            "?",
            "?delete",
            "?list-type=2",
            "?list-type=2&prefix=%zz",
            "?uploads",
            "?x=%",
            "?a=b&a=c",
            "?max-keys=-1",
            "?max-keys=99999999999999999999",
            "?continuation-token=%00",
            "?location",
            "?acl",
            "?versionId=1",
            "?partNumber=1&uploadId=x");
    private static final List<String> VERSIONS =
            List.of("HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/1.1 ", "http/1.1", "HTTP/1", "");
    private static final String BUCKET = "bkt";

    @TempDir
    Path root;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void randomAndMutatedRequestsNeverGetA500NorCrashTheServer() throws IOException {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println("RequestParserFuzzTest seed " + seed + " (replay with -Dfuzz.seed=" + seed + ")");
        Random random = new Random(seed);
        Path dataDir = Files.createDirectories(root.resolve("x/y/data"));
        Map<Path, Long> outsideBefore = snapshotOutside(dataDir);
        Map<Integer, Integer> statuses = new TreeMap<>();
        int unanswered = 0;
        int run = 0;
        try (TestServer server = TestServer.start(dataDir)) {
            server.createBucket(BUCKET);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BUDGET_SECONDS);
            for (; run < CASES && System.nanoTime() < deadline; run++) {
                byte[] request = request(random);
                byte[] answer = exchange(server, request);
                if (answer.length == 0) {
                    if (completesAHead(request)) {
                        fail("case " + run + " (seed " + seed
                                + "): the connection closed without an answer to a complete " + "request head:\n"
                                + show(request));
                    }
                    unanswered++;
                    continue;
                }
                String text = new String(answer, StandardCharsets.ISO_8859_1);
                Matcher m = STATUS_LINE.matcher(text);
                if (!m.find()) {
                    fail("case " + run + " (seed " + seed + "): the answer is not HTTP: " + abbreviate(text)
                            + "\nrequest:\n" + show(request));
                }
                int status = Integer.parseInt(m.group(1));
                if (status == 100) {
                    Matcher next =
                            Pattern.compile("\r\n\r\nHTTP/1\\.1 (\\d{3}) ").matcher(text);
                    status = next.find() ? Integer.parseInt(next.group(1)) : status;
                }
                statuses.merge(status, 1, Integer::sum);
                if (status >= 500 && status != 501) {
                    fail("case " + run + " (seed " + seed + "): answered " + status + ": " + abbreviate(text)
                            + "\nrequest:\n" + show(request));
                }
                if (run % 250 == 0) {
                    assertEquals(
                            200,
                            server.raw().get("/health").status(),
                            "healthy after case " + run + " (seed " + seed + ")");
                }
            }
            assertEquals(200, server.raw().get("/health").status(), "healthy after the fuzzing (seed " + seed + ")");
            assertTrue(
                    server.s3().listBuckets().buckets().stream()
                                    .anyMatch(b -> b.name().equals(BUCKET))
                            || server.raw().get("/" + BUCKET).status() == 404,
                    "S3 still answers");
        }
        assertEquals(
                outsideBefore,
                snapshotOutside(dataDir),
                "nothing written outside the data directory (seed " + seed + ")");
        System.out.println("RequestParserFuzzTest: " + run + " cases (seed " + seed + "), statuses " + statuses + ", "
                + unanswered + " closed without an answer (incomplete request head)");
        assertTrue(run >= 200, "at least 200 cases ran in the budget, ran " + run);
    }

    // ---- the generator ---------------------------------------------------------------------------------------------

    private static byte[] request(Random r) {
        while (true) {
            byte[] bytes = mutate(r, wellFormedish(r));
            String start = new String(bytes, 0, Math.min(bytes.length, 400), StandardCharsets.ISO_8859_1);
            if (!start.contains("/api/")) { // the admin API could reset the store or take nodes down: not parser work
                return bytes;
            }
        }
    }

    private static byte[] wellFormedish(Random r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String method = pick(r, METHODS);
        String target = pick(r, PATHS) + (r.nextInt(3) == 0 ? randomSegment(r) : "") + pick(r, QUERIES);
        write(out, method + " " + target + " " + pick(r, VERSIONS) + "\r\n");
        byte[] body = body(r);
        boolean chunked = r.nextInt(4) == 0;
        boolean aws = r.nextInt(5) == 0;
        byte[] framed = chunked || aws ? chunkedFraming(r, body) : body;
        if (r.nextBoolean()) {
            write(out, "Host: 127.0.0.1\r\n");
        }
        if (chunked) {
            write(
                    out,
                    "Transfer-Encoding: "
                            + pick(r, List.of("chunked", "chunked", "Chunked", "gzip", "chunked, chunked", ""))
                            + "\r\n");
        }
        if (aws) {
            write(out, "Content-Encoding: aws-chunked\r\n");
            write(
                    out,
                    "x-amz-content-sha256: "
                            + pick(
                                    r,
                                    List.of(
                                            "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
                                            "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
                                            "UNSIGNED-PAYLOAD",
                                            "zz"))
                            + "\r\n");
            write(out, "x-amz-decoded-content-length: " + length(r, body.length) + "\r\n");
        }
        if (!chunked || r.nextInt(8) == 0) {
            write(out, "Content-Length: " + length(r, framed.length) + "\r\n");
        }
        int extra = r.nextInt(5);
        for (int i = 0; i < extra; i++) {
            write(
                    out,
                    pick(
                                    r,
                                    List.of(
                                            "Expect: 100-continue",
                                            "Connection: close",
                                            "Connection: keep-alive",
                                            "Content-MD5: " + randomAscii(r, 24),
                                            "Content-Type: " + randomAscii(r, 10),
                                            "x-amz-meta-" + randomToken(r) + ": " + randomAscii(r, 20),
                                            "Range: bytes=" + r.nextInt(100) + "-" + (r.nextInt(200) - 50),
                                            "x-amz-checksum-crc32: " + randomAscii(r, 8),
                                            "x-amz-copy-source: /bkt/" + randomAscii(r, 5),
                                            "If-Match: \"" + randomAscii(r, 32) + "\"",
                                            "X-Folded: a\r\n  b",
                                            "NoColon",
                                            ": empty name",
                                            "X-Big: " + "b".repeat(r.nextInt(9000)),
                                            "x-amz-trailer: x-amz-checksum-crc32"))
                            + "\r\n");
        }
        write(out, "\r\n");
        out.writeBytes(framed);
        return out.toByteArray();
    }

    /** A Content-Length or decoded length: mostly true, sometimes lying, negative, huge or not a number. */
    private static String length(Random r, int actual) {
        return switch (r.nextInt(10)) {
            case 0 -> Integer.toString(actual + 1 + r.nextInt(100));
            case 1 -> Integer.toString(Math.max(0, actual - 1 - r.nextInt(10)));
            case 2 ->
                pick(
                        r,
                        List.of(
                                "-1",
                                "99999999999999999999",
                                "0x10",
                                "1e3",
                                "",
                                " ",
                                "5, 6",
                                "+5",
                                "6000000000",
                                "9223372036854775807",
                                "abc"));
            default -> Integer.toString(actual);
        };
    }

    private static byte[] body(Random r) {
        int size = switch (r.nextInt(4)) {
            case 0 -> 0;
            case 1 -> r.nextInt(16);
            case 2 -> r.nextInt(2048);
            default -> r.nextInt(100_000);
        };
        byte[] body = new byte[size];
        if (r.nextBoolean()) {
            r.nextBytes(body);
        } else {
            for (int i = 0; i < size; i++) {
                body[i] = (byte) ('a' + r.nextInt(26));
            }
        }
        if (size > 40 && r.nextInt(6) == 0) { // a request hidden in the body
            byte[] hidden = "DELETE /bkt HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(hidden, 0, body, r.nextInt(size - hidden.length), hidden.length);
        }
        return body;
    }

    /** Chunk framing of the body, sometimes with a wrong size, bad hex, a signature extension, trailers or no end. */
    private static byte[] chunkedFraming(Random r, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        while (pos < body.length) {
            int n = Math.min(body.length - pos, 1 + r.nextInt(8192));
            String size = Integer.toHexString(n);
            if (r.nextInt(20) == 0) {
                size = pick(
                        r,
                        List.of(
                                Integer.toHexString(n + 1),
                                Integer.toHexString(Math.max(0, n - 1)),
                                "zz",
                                "-1",
                                "ffffffffffffffffff",
                                ""));
            }
            String ext = r.nextInt(4) == 0 ? ";chunk-signature=" + randomAscii(r, 64) : "";
            write(out, size + ext + "\r\n");
            out.write(body, pos, n);
            write(out, r.nextInt(30) == 0 ? "\n" : "\r\n");
            pos += n;
        }
        if (r.nextInt(10) != 0) {
            write(out, "0\r\n");
            if (r.nextInt(3) == 0) {
                write(out, pick(r, List.of("x-amz-checksum-crc32:AAAAAA==\r\n", "bad trailer\r\n", ":x\r\n")));
            }
            write(out, "\r\n");
        }
        return out.toByteArray();
    }

    /** Byte-level damage: flip, insert, delete, truncate, or a run of random bytes. */
    private static byte[] mutate(Random r, byte[] in) {
        if (r.nextInt(3) == 0 || in.length == 0) {
            return in;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + 16);
        out.writeBytes(in);
        byte[] b = out.toByteArray();
        int mutations = 1 + r.nextInt(4);
        for (int i = 0; i < mutations && b.length > 0; i++) {
            int at = r.nextInt(Math.min(b.length, r.nextBoolean() ? 200 : b.length));
            switch (r.nextInt(5)) {
                case 0 -> b[at] = (byte) r.nextInt(256);
                case 1 ->
                    b = splice(b, at, 0, new byte[] {(byte) (int) pick(r, List.of(0, 13, 10, 32, 37, 58, 0xFF, 0x7F))});
                case 2 -> b = splice(b, at, 1, new byte[0]);
                case 3 -> b = java.util.Arrays.copyOf(b, at);
                default -> {
                    byte[] noise = new byte[1 + r.nextInt(32)];
                    r.nextBytes(noise);
                    b = splice(b, at, 0, noise);
                }
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }

    private static String randomSegment(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = 1 + r.nextInt(20);
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(6)) {
                case 0 -> sb.append('%').append(String.format("%02x", r.nextInt(256)));
                case 1 -> sb.append(pick(r, List.of("%", "%z", "%zz", "%2", "%2e%2e/", "../", "%00", "%c3%28", "%ff")));
                case 2 -> sb.append((char) (0x80 + r.nextInt(0x700)));
                default -> sb.append((char) ('a' + r.nextInt(26)));
            }
        }
        return sb.toString();
    }

    private static String randomAscii(Random r, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append((char) (0x21 + r.nextInt(0x5E)));
        }
        return sb.toString();
    }

    private static String randomToken(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = 1 + r.nextInt(8);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('a' + r.nextInt(26)));
        }
        return sb.toString();
    }

    private static <T> T pick(Random r, List<T> options) {
        return options.get(r.nextInt(options.size()));
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    // ---- the exchange ----------------------------------------------------------------------------------------------

    /** Sends the bytes, half-closes, and reads everything the server answers until it closes. */
    private static byte[] exchange(TestServer server, byte[] request) throws IOException {
        try (RawHttp.Connection connection = server.raw().open()) {
            connection.sendIfOpen(request); // the server may answer and close before taking everything
            return connection.readUntilClosed();
        }
    }

    /**
     * True when the bytes hold a complete request head the server must answer: after optional blank lines,
     * a line ending in an empty line, or more than 8 KiB of head (answered 431).
     */
    static boolean completesAHead(byte[] request) {
        int i = 0;
        while (i < request.length && (request[i] == '\r' || request[i] == '\n')) {
            i++;
        }
        for (int j = i; j < request.length; j++) {
            if (j - i >= 8192) {
                return true;
            }
            if (request[j] == '\n'
                    && j + 1 < request.length
                    && (request[j + 1] == '\n'
                            || (request[j + 1] == '\r' && j + 2 < request.length && request[j + 2] == '\n'))) {
                return true;
            }
        }
        return false;
    }

    private static String show(byte[] request) {
        String s = new String(request, 0, Math.min(request.length, 1500), StandardCharsets.ISO_8859_1);
        return s.replace("\r", "\\r").replace("\n", "\\n\n")
                + (request.length > 1500 ? "... (" + request.length + " bytes)" : "");
    }

    private static String abbreviate(String s) {
        return s.length() > 600 ? s.substring(0, 600) + "..." : s;
    }

    private static Map<Path, Long> snapshotOutside(Path dataDir) throws IOException {
        Path top = dataDir.getParent().getParent().getParent();
        try (Stream<Path> files = Files.walk(top)) {
            Map<Path, Long> out = new TreeMap<>();
            for (Path p : (Iterable<Path>) files::iterator) {
                if (!p.startsWith(dataDir) && Files.isRegularFile(p)) {
                    out.put(p, Files.size(p));
                }
            }
            return out;
        }
    }
}
