package dev.mockstorage.internal.observe;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The JSON access log: one line per answered request (S3 and admin), written and flushed before
 * the next one, to stdout or appended to a file ({@code log.access}). The fields are documented in
 * README "Access log"; {@link #FIELDS} lists them in order.
 */
public final class AccessLog implements Consumer<RequestEvent>, AutoCloseable {
    /** The fields of every line, in order. */
    public static final List<String> FIELDS = List.of(
            "time",
            "request_id",
            "remote_addr",
            "api",
            "method",
            "operation",
            "bucket",
            "key",
            "status",
            "error",
            "bytes_in",
            "bytes_out",
            "duration_ms");

    private static final JsonFactory JSON = new JsonFactory();
    private static final System.Logger LOG = System.getLogger(AccessLog.class.getName());

    private final Writer writer;
    private final boolean closeWriter;
    private volatile boolean failed;

    private AccessLog(Writer writer, boolean closeWriter) {
        this.writer = writer;
        this.closeWriter = closeWriter;
    }

    /** Lines to the given stream (usually {@code System.out}); the stream is not closed. */
    public static AccessLog to(PrintStream out) {
        return new AccessLog(new OutputStreamWriter(out, StandardCharsets.UTF_8), false);
    }

    /** Lines appended to {@code file} (created with its parent directories). */
    public static AccessLog toFile(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return new AccessLog(
                    new BufferedWriter(new OutputStreamWriter(
                            Files.newOutputStream(
                                    file,
                                    StandardOpenOption.CREATE,
                                    StandardOpenOption.APPEND,
                                    StandardOpenOption.WRITE),
                            StandardCharsets.UTF_8)),
                    true);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot open the access log " + file + " (log.access): " + e.getMessage(), e);
        }
    }

    @Override
    public void accept(RequestEvent e) {
        String line = line(e);
        synchronized (this) {
            try {
                writer.write(line);
                writer.write('\n');
                writer.flush();
            } catch (IOException ex) {
                if (!failed) {
                    failed = true;
                    LOG.log(System.Logger.Level.WARNING, "cannot write the access log: " + ex);
                }
            }
        }
    }

    /** One event as one line of JSON (no line break). */
    static String line(RequestEvent e) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", Instant.ofEpochMilli(e.epochMillis()).toString());
            g.writeStringField("request_id", e.requestId());
            g.writeStringField("remote_addr", e.remoteAddress());
            g.writeStringField("api", e.admin() ? "admin" : "s3");
            g.writeStringField("method", e.method());
            g.writeStringField("operation", e.operation());
            g.writeStringField("bucket", e.bucket());
            g.writeStringField("key", e.key());
            g.writeNumberField("status", e.status());
            g.writeStringField("error", e.errorCode());
            g.writeNumberField("bytes_in", e.bytesIn());
            g.writeNumberField("bytes_out", e.bytesOut());
            g.writeNumberField("duration_ms", Math.round(e.durationNanos() / 1000.0) / 1000.0);
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toString();
    }

    @Override
    public synchronized void close() throws IOException {
        if (closeWriter) {
            writer.close();
        } else {
            writer.flush();
        }
    }
}
