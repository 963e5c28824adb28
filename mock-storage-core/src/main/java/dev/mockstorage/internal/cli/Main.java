package dev.mockstorage.internal.cli;

import dev.mockstorage.internal.config.Config;
import dev.mockstorage.internal.config.ConfigException;
import dev.mockstorage.internal.config.ConfigLoader;
import dev.mockstorage.internal.config.Setting;
import dev.mockstorage.internal.metadata.MetadataStore;
import dev.mockstorage.server.MockStorageServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * {@code java -jar mock-storage.jar}: serves the defaults, or what {@code --config FILE}, environment
 * variables and {@code --NAME=VALUE} options say (defaults &lt; file &lt; environment &lt; command line).
 * Prints {@code mock-storage listening on http://HOST:PORT (data: DIR)} once it answers requests (see
 * {@link #listeningLine}) and closes the server on SIGTERM or Ctrl-C. A start that fails prints
 * {@code mock-storage: could not start: SETTING VALUE: CAUSE} and leaves nothing on disk that it
 * created. {@code healthcheck} asks a running server's {@code /health}.
 *
 * <p>Exit codes: 0 success, 1 the server could not start or the health check failed, 2 a usage or
 * configuration error (the message names the option or field).
 */
public final class Main {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_CONFIG = 2;

    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(3);
    private static final String START_FAILED = "mock-storage: could not start: ";
    /**
     * The JDK's console log format, on one line: {@code 2026-01-31 12:00:00 WARNING message}, a stack
     * trace (when there is one) on the lines after it. The JDK's default spends a second line on the
     * source class.
     */
    static final String LOG_FORMAT = "%1$tF %1$tT %4$s %5$s%6$s%n";

    private Main() {}

    /** Entry point of the standalone jar. */
    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.config.file") == null
                && System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            // this process is ours (in-process users keep their own logging set-up): one line per record
            System.setProperty("java.util.logging.SimpleFormatter.format", LOG_FORMAT);
        }
        if (!List.of(args).contains("healthcheck")) {
            // a start (not the image's health probe): SQLite's driver and native library load on a second
            // thread while this one reads the settings; on two cores they overlap
            Thread preload = new Thread(MetadataStore::preload, "mock-storage-preload");
            preload.setDaemon(true);
            preload.start();
        }
        int code = run(args, System.getenv(), System.out, System.err);
        System.exit(code);
    }

    /**
     * Everything {@link #main} does, with the environment and streams given. For {@code serve} this
     * returns only after the JVM started shutting down (the shutdown hook closed the server).
     */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Plan plan;
        try {
            Arguments arguments = Arguments.parse(args);
            if (arguments.command() == Arguments.Command.HELP) {
                out.print(usage());
                return OK;
            }
            plan = Plan.of(arguments, env);
        } catch (UsageException e) {
            err.println("mock-storage: " + e.getMessage() + " (see --help)");
            return BAD_CONFIG;
        } catch (ConfigException e) {
            err.println("mock-storage: configuration error: " + e.getMessage());
            return BAD_CONFIG;
        }
        return switch (plan.command()) {
            case HEALTHCHECK -> healthcheck(plan.config(), out, err);
            case WARMUP -> warmup(plan, out, err);
            default -> serve(plan, out, err);
        };
    }

    /**
     * The resolved invocation: the config file, the settings to hand to the server builder (environment
     * overlaid by the command line) and the validated {@link Config} they produce.
     */
    record Plan(Arguments.Command command, Path configFile, Map<String, String> settings, Config config) {

        /** @throws ConfigException for an unknown variable, field or setting, or an impossible value */
        static Plan of(Arguments arguments, Map<String, String> env) {
            Path file = arguments.configFile();
            String fromEnv = env.get(ConfigLoader.CONFIG_FILE_ENV);
            if (file == null && fromEnv != null && !fromEnv.isBlank()) {
                file = Path.of(fromEnv);
            }
            Map<String, String> envSettings = ConfigLoader.fromEnvironment(env);
            Map<String, String> settings = new LinkedHashMap<>(envSettings);
            Map<String, String> origins = new LinkedHashMap<>(ConfigLoader.environmentOrigins(envSettings));
            settings.putAll(arguments.settings());
            origins.putAll(arguments.origins());
            Config config = ConfigLoader.load(file, settings, origins);
            return new Plan(arguments.command(), file, Map.copyOf(settings), config);
        }

        /**
         * Settings for {@link MockStorageServer.Builder#setting}: everything resolved here plus the
         * port and the console, because the builder's own defaults are port 0 (ephemeral) and no console
         * while the jar's are 8080 and the console on, or the config file's.
         */
        Map<String, String> builderSettings() {
            Map<String, String> all = new LinkedHashMap<>(settings);
            all.put(
                    Setting.SERVER_PORT.dottedName(),
                    Integer.toString(config.server().port()));
            all.put(Setting.CONSOLE_ENABLED.dottedName(), Boolean.toString(config.console()));
            return all;
        }
    }

    private static int serve(Plan plan, PrintStream out, PrintStream err) {
        MockStorageServer server;
        try {
            MockStorageServer.Builder builder = MockStorageServer.builder();
            if (plan.configFile() != null) {
                builder.configFile(plan.configFile());
            }
            plan.builderSettings().forEach(builder::setting);
            server = builder.start();
        } catch (ConfigException e) {
            err.println("mock-storage: configuration error: " + e.getMessage());
            return BAD_CONFIG;
        } catch (RuntimeException e) {
            // the builder's start failures already read "mock-storage: could not start: SETTING VALUE: CAUSE"
            String message = e.getMessage() != null ? e.getMessage() : e.toString();
            err.println(message.startsWith(START_FAILED) ? message : START_FAILED + message);
            return FAILED;
        }
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                server.close();
                                out.println("mock-storage stopped");
                                out.flush();
                            } finally {
                                closed.countDown();
                            }
                        },
                        "mock-storage-shutdown"));
        out.println(listeningLine(plan.config().server().host(), server.port(), server.dataDirectory()));
        out.flush();
        // this thread's last work: the JDK's security providers, which the first write's random ids would
        // otherwise set up (15 ms); done once the server answers, so that the start does not wait for it
        new SecureRandom().nextLong();
        try {
            closed.await(); // the server's threads may be daemons; the JVM ends when the hook has run
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return OK;
    }

    /**
     * {@code warmup}: starts a server on these settings but on an ephemeral port of 127.0.0.1 in a new
     * temporary data directory, sends it the requests of a short session (health, a bucket, an object put,
     * read, listed and deleted, stats, metrics, the console), then stops it and deletes the directory. Run
     * under {@code -XX:ArchiveClassesAtExit} it records what a start and the first requests load, for a
     * class-data-sharing archive (the image's build, {@code scripts/mock-storage}); it also fills the
     * start cache (SQLite's library, the schema template) of the user it runs as.
     */
    static int warmup(Plan plan, PrintStream out, PrintStream err) {
        Path dir;
        try {
            dir = Files.createTempDirectory("mock-storage-warmup-");
        } catch (IOException e) {
            err.println(START_FAILED + "warmup: cannot create a temporary directory: " + e);
            return FAILED;
        }
        try {
            MockStorageServer.Builder builder = MockStorageServer.builder();
            plan.builderSettings().forEach(builder::setting);
            builder.setting(
                    Setting.DATABASE_DSN.dottedName(),
                    dir.resolve("metadata.db").toString());
            builder.host("127.0.0.1").port(0).dataDirectory(dir);
            int requests = 0;
            try (MockStorageServer server = builder.start()) {
                String base = "http://127.0.0.1:" + server.port();
                String[][] session = {
                    {"GET", "/health"},
                    {"PUT", "/warmup"},
                    {"PUT", "/warmup/object.txt"},
                    {"HEAD", "/warmup/object.txt"},
                    {"GET", "/warmup/object.txt"},
                    {"GET", "/warmup?list-type=2"},
                    {"GET", "/"},
                    {"DELETE", "/warmup/object.txt"},
                    {"GET", "/api/v1/stats"},
                    {"GET", "/metrics"},
                    {"GET", "/console/"},
                };
                for (String[] request : session) {
                    send(request[0], URI.create(base + request[1]));
                    requests++;
                }
            }
            out.println("mock-storage warmed up: started, answered " + requests + " requests, stopped");
            return OK;
        } catch (IOException | RuntimeException e) {
            err.println(START_FAILED + "warmup: " + e);
            return FAILED;
        } finally {
            deleteTree(dir);
        }
    }

    /** One request with a small body for PUT; the answer's status is not checked, its body is read. */
    private static void send(String method, URI uri) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        try {
            connection.setRequestMethod(method);
            connection.setConnectTimeout((int) HEALTH_TIMEOUT.toMillis());
            connection.setReadTimeout((int) HEALTH_TIMEOUT.toMillis());
            if (method.equals("PUT")) {
                byte[] body = "warmup".getBytes(StandardCharsets.UTF_8);
                connection.setDoOutput(true);
                connection.setFixedLengthStreamingMode(body.length);
                try (OutputStream o = connection.getOutputStream()) {
                    o.write(body);
                }
            }
            int status = connection.getResponseCode();
            try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
                if (in != null) {
                    in.readAllBytes();
                }
            }
        } finally {
            connection.disconnect();
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory: the system cleans it
        }
    }

    /** GET http://HOST:PORT/health, where HOST is 127.0.0.1 when the server binds every interface. */
    static int healthcheck(Config config, PrintStream out, PrintStream err) {
        int port = config.server().port();
        if (port == 0) {
            err.println("mock-storage: healthcheck: server.port is 0 (ephemeral); give the port the server listens on");
            return FAILED;
        }
        URI uri = URI.create("http://" + connectHost(config.server().host()) + ":" + port + "/health");
        HttpURLConnection connection = null;
        try {
            // HttpURLConnection rather than java.net.http: no TLS set-up, so a health probe starts fast
            connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout((int) HEALTH_TIMEOUT.toMillis());
            connection.setReadTimeout((int) HEALTH_TIMEOUT.toMillis());
            connection.setUseCaches(false);
            int status = connection.getResponseCode();
            if (status == 200) {
                out.println("healthy: " + uri + " answered 200");
                return OK;
            }
            err.println("unhealthy: " + uri + " answered " + status);
            return FAILED;
        } catch (IOException | RuntimeException e) {
            err.println("unhealthy: " + uri + ": " + e);
            return FAILED;
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    /**
     * The start line: the address actually bound and, when that is every interface ({@code 0.0.0.0},
     * as in the image), an address to use from this machine, e.g. {@code mock-storage listening on
     * http://0.0.0.0:8080 (every interface, e.g. http://127.0.0.1:8080; data: /data)}.
     */
    static String listeningLine(String host, int port, Path dataDirectory) {
        String bound = "http://" + urlHost(host) + ":" + port;
        if (isWildcard(host)) {
            return "mock-storage listening on " + bound + " (every interface, e.g. http://" + connectHost(host) + ":"
                    + port + "; data: " + dataDirectory + ")";
        }
        return "mock-storage listening on " + bound + " (data: " + dataDirectory + ")";
    }

    /** Where a local client reaches a server bound to {@code host}. */
    static String connectHost(String host) {
        return isWildcard(host) ? "127.0.0.1" : urlHost(host);
    }

    /** Whether {@code host} is the address of every interface ({@code 0.0.0.0}, {@code ::}). */
    private static boolean isWildcard(String host) {
        String h = unbracketed(host);
        return h.equals("0.0.0.0") || h.equals("::") || h.equals("0:0:0:0:0:0:0:0");
    }

    /** {@code host} as it goes into a URL: an IPv6 address in brackets. */
    private static String urlHost(String host) {
        String h = unbracketed(host);
        return h.contains(":") ? "[" + h + "]" : h;
    }

    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** The {@code --help} text, listing every {@link Setting} with its environment variable and default. */
    static String usage() {
        StringBuilder sb = new StringBuilder();
        sb.append("""
                Usage: java -jar mock-storage.jar [serve] [OPTIONS]
                       java -jar mock-storage.jar healthcheck [OPTIONS]
                       java -jar mock-storage.jar warmup [OPTIONS]
                       java -jar mock-storage.jar --help

                mock-storage: an S3-compatible object store to run inside tests.

                Commands:
                  serve          (default) start the server and print
                                 "mock-storage listening on http://HOST:PORT (data: DIR)";
                                 stop it with SIGTERM or Ctrl-C
                  healthcheck    GET /health of the server these settings describe (on 127.0.0.1
                                 when it binds 0.0.0.0); exit 0 on 200, else 1
                  warmup         start on an ephemeral port in a temporary directory, answer a
                                 few requests, stop: a training run for a class-data-sharing
                                 archive (scripts/mock-storage, the Docker image)

                Options:
                  --config FILE     read a config.json (or set %s=FILE)
                  --set NAME=VALUE  set a setting; repeatable
                  --NAME=VALUE      the same, e.g. --server.port=9000
                  -h, --help        print this help

                Settings (later wins: defaults < config file < environment < command line):
                """.formatted(ConfigLoader.CONFIG_FILE_ENV));
        for (Setting<?> s : Setting.values()) {
            sb.append("  ")
                    .append(s.dottedName())
                    .append('\n')
                    .append("      env ")
                    .append(s.envName())
                    .append(", default ")
                    .append(s.defaultText())
                    .append('\n')
                    .append("      ")
                    .append(s.description().replace("`", ""))
                    .append('\n');
        }
        sb.append("""

                Exit codes: 0 ok, 1 cannot start or unhealthy, 2 usage or configuration error.
                """);
        return sb.toString();
    }
}
