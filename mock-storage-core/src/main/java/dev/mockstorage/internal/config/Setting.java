package dev.mockstorage.internal.config;

import dev.mockstorage.MockStorageRuntime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Every setting, declared once: its dotted {@code config.json} name (from which its environment
 * variable comes), its {@link Type} (how it is written as text and in config.json), its typed default,
 * the checks its value must pass, and what it means. {@link ConfigLoader} reads the settings through
 * these declarations; the command-line help and the README's configuration table are generated from
 * them (a test keeps the README equal to {@link #markdownTable()}). Rules that span settings live in
 * {@link ConfigResolver}.
 *
 * <p>A new setting is one declaration here, plus where the server reads it (a component of a
 * {@link Config} record, filled in {@link ConfigResolver}).
 */
public final class Setting<T> {

    /** Prefix of every environment variable that configures the server. */
    public static final String ENV_PREFIX = "MOCK_STORAGE_";

    /** The origin of a value nobody set. */
    static final String DEFAULT = "default";

    /** Filled by {@link #declare} while the class initialises, in the order of declaration. */
    private static final List<Setting<?>> ALL = new ArrayList<>();

    public static final Setting<String> SERVER_HOST = declare(
                    "server.host",
                    Types.TRIMMED,
                    "127.0.0.1",
                    "Address to listen on; `0.0.0.0` listens on every interface.")
            .check(
                    h -> !h.isEmpty() && h.chars().noneMatch(Character::isWhitespace),
                    h -> "\"" + h.text() + "\" is not a host name or address");
    public static final Setting<Integer> SERVER_PORT = declare(
                    "server.port", Types.INT, 8080, "Port to listen on (0..65535); 0 picks a free port.")
            .check(p -> p >= 0 && p <= 65535, p -> p.value() + " is outside 0..65535");
    public static final Setting<List<String>> SERVER_DOMAIN = declare(
            "server.domain",
            Types.DOMAINS,
            List.of("localhost"),
            "localhost",
            "Service domains for virtual-host-style requests, comma separated: a request to `bucket.<domain>[:port]` "
                    + "addresses `bucket`; the domain itself, an IP address or any other host is path style.");
    public static final Setting<Integer> SERVER_MAX_CONNECTIONS = declare(
                    "server.max_connections",
                    Types.INT,
                    1000,
                    "Open client connections at most (at least 1); one more is answered `503 SlowDown` and closed. Idle "
                            + "keep-alive connections count but hold no thread; requests are served by at most 128 threads.")
            .require(n -> n >= 1, "at least 1");
    public static final Setting<Integer> SERVER_HEAD_TIMEOUT_MS = declare(
                    "server.head_timeout_ms",
                    Types.INT,
                    10_000,
                    "Milliseconds a client has to send a whole request head (from connecting, or from the first byte of its "
                            + "next request on a kept-alive connection), else it is closed. Separate from the idle timeout: "
                            + "120 s between requests and between body bytes.")
            .require(n -> n >= 1, "at least 1");
    public static final Setting<String> STORAGE_DATA_DIR = declare(
                    "storage.data_dir",
                    Types.STRING,
                    "./data",
                    "Directory below which the nodes and the database live unless configured elsewhere.")
            .check(Types::checkPath);
    public static final Setting<List<NodeSpec>> STORAGE_NODES = declare(
                    "storage.nodes",
                    NodeSpec.TYPE,
                    NodeSpec.count(3, DEFAULT),
                    "3",
                    "Storage nodes. In config.json an array of `{\"id\", \"path\"}`; as a setting either a count N "
                            + "(nodes `stg1..stgN` under the data directory) or `id=path,id=path`.")
            .check(NodeSpec::verify);
    public static final Setting<Boolean> STORAGE_AUTO_CREATE_BUCKETS = declare(
            "storage.auto_create_buckets",
            Types.BOOL,
            false,
            "Create a bucket on the first PUT into it instead of answering `NoSuchBucket`.");
    public static final Setting<List<String>> STORAGE_BUCKETS = declare(
            "storage.buckets",
            Types.NAMES,
            List.of(),
            "none",
            "Buckets to create at start, comma separated (in config.json an array of names); S3's naming rules "
                    + "apply and buckets that already exist are kept.");
    public static final Setting<Boolean> STORAGE_FSYNC = declare(
            "storage.fsync",
            Types.BOOL,
            false,
            "Flush every blob and database write to disk (slower; only needed to survive power loss).");
    // consistency: write quorum, consistency check
    public static final Setting<Integer> STORAGE_WRITE_QUORUM = declare(
            "storage.write_quorum",
            Types.INT,
            null,
            "(number of nodes)",
            "Nodes a write must reach (1..nodes); fewer answers `503 ServiceUnavailable` and stores nothing. Below "
                    + "the node count, replicas a down node missed are repaired when it returns.");
    public static final Setting<Integer> STORAGE_CHECK_INTERVAL_MS = declare(
                    "storage.check_interval_ms",
                    Types.INT,
                    0,
                    "Run the consistency check with repair every N ms; 0 runs it only on demand.")
            .require(n -> n >= 0, "0 (off) or more");
    public static final Setting<Integer> STORAGE_ORPHAN_GRACE_MS = declare(
                    "storage.orphan_grace_ms",
                    Types.INT,
                    60_000,
                    "Blob files no object or task refers to are removed by a repairing check once older than this (ms).")
            .require(n -> n >= 0, "0 or more");
    public static final Setting<Integer> STORAGE_ABANDONED_UPLOAD_MS = declare(
                    "storage.abandoned_upload_ms",
                    Types.INT,
                    86_400_000,
                    "A repairing check (the periodic one too) aborts multipart uploads initiated longer ago than this (ms), "
                            + "like S3's lifecycle rule `AbortIncompleteMultipartUpload`; their part files go when the queue runs. 0 keeps them.")
            .require(n -> n >= 0, "0 (never) or more");
    public static final Setting<String> DATABASE_DRIVER = declare(
                    "database.driver",
                    Types.STRING,
                    "sqlite3",
                    "Metadata database driver; only `sqlite3` (or `sqlite`).")
            .check(
                    d -> d.equals("sqlite3") || d.equals("sqlite"),
                    d -> "\"" + d.value() + "\" is not supported (only sqlite3 or sqlite)");
    public static final Setting<String> DATABASE_DSN = declare(
                    "database.dsn", Types.SQLITE_FILE, null, "<data_dir>/metadata.db", "The SQLite database file.")
            .check(Setting::sqliteFile);
    public static final Setting<Integer> QUEUE_SIZE = declare(
                    "queue.size", Types.INT, 1000, "Maximum number of background tasks waiting to run (at least 1).")
            .require(n -> n >= 1, "at least 1");
    public static final Setting<Integer> QUEUE_WORKERS = declare(
                    "queue.workers",
                    Types.INT,
                    2,
                    "Threads running background tasks. 0 runs none: tasks wait in the database for a server with "
                            + "workers on the same data (for tests of restarts and of a full queue).")
            .require(n -> n >= 0, "at least 0");
    public static final Setting<Integer> QUEUE_FULL_WAIT_MS = declare(
                    "queue.full_wait_ms",
                    Types.INT,
                    10_000,
                    "How long (ms) an upload or delete waits for room in a full queue before answering `503 SlowDown`.")
            .require(n -> n >= 0, "at least 0");
    public static final Setting<Boolean> THIRD_PARTY_ENABLED = declare(
            "third_party.enabled",
            Types.BOOL,
            true,
            "Read a GET/HEAD of a missing key through from the third party; `false` turns read-through and scripting off.");
    public static final Setting<String> THIRD_PARTY_URL = declare(
                    "third_party.url",
                    Types.TRIMMED,
                    null,
                    "(none)",
                    "URL template of a real upstream, e.g. `http://host:port/{bucket}/{key}` (`{key}` percent-encoded per segment). "
                            + "Unset: the in-process scripted upstream, used while it has scripts.")
            .check(BucketSpec::checkTemplate);
    public static final Setting<List<BucketSpec>> THIRD_PARTY_BUCKETS = declare(
                    "third_party.buckets",
                    BucketSpec.TYPE,
                    null,
                    "(all)",
                    "Buckets that read through. In config.json an array of names or `{\"name\", \"url\"}` (the bucket's own "
                            + "template); as a setting `name,name=url`.")
            .check(BucketSpec::verify);
    public static final Setting<Map<String, Value<String>>> THIRD_PARTY_HEADERS = declare(
                    "third_party.headers",
                    Headers.TYPE,
                    Map.of(),
                    "(none)",
                    "Headers sent with every fetch. In config.json an object of strings; as a setting `Name=value,Name=value`.")
            .check(Headers::verify);
    public static final Setting<Integer> THIRD_PARTY_TIMEOUT_MS = declare(
                    "third_party.timeout_ms",
                    Types.INT,
                    5000,
                    "Milliseconds allowed to connect, to get the response head, and between body bytes (at least 1).")
            .require(n -> n >= 1, "at least 1");
    public static final Setting<Integer> THIRD_PARTY_RETRIES = declare(
                    "third_party.retries",
                    Types.INT,
                    2,
                    "Extra attempts after a connection error or a 5xx answer (0..10); timeouts are not retried.")
            .require(n -> n >= 0 && n <= 10, "0..10");
    public static final Setting<String> THIRD_PARTY_SCRIPTS = declare(
                    "third_party.scripts",
                    Types.STRING,
                    null,
                    "(none)",
                    "A JSON file of third-party scripts loaded at start (see Scripting the third party).")
            .check(Types::checkPath);
    // observe: request journal, metrics, access log
    public static final Setting<Integer> JOURNAL_SIZE = declare(
                    "journal.size",
                    Types.INT,
                    1000,
                    "Requests the request journal keeps (the last N S3 requests); 0 turns the journal off.")
            .require(n -> n >= 0, "0 (off) or more");
    public static final Setting<Boolean> METRICS_ENABLED = declare(
            "metrics.enabled",
            Types.BOOL,
            true,
            "Count requests for `/metrics` and the request figures of `/api/v1/stats`; `false` skips that work.");
    /** {@code off}, {@code stdout} or a path; the path is checked where {@link ConfigResolver} tells them apart. */
    public static final Setting<String> LOG_ACCESS = declare(
            "log.access",
            Types.STRING,
            "off",
            "JSON access log, one line per request: `off`, `stdout`, or a file path (appended to).");
    // auth: signature checking (strict mode)
    public static final Setting<String> AUTH_MODE = declare(
                    "auth.mode",
                    Types.STRING,
                    "open",
                    "`open`: any credentials are accepted and signatures are not checked. `strict`: every S3 request must be "
                            + "signed with Signature Version 4 (header, presigned URL, signed chunks) by `auth.access_key`.")
            .check(m -> Setting.authMode(m) != null, m -> "\"" + m.text() + "\" is not an auth mode (open or strict)");
    public static final Setting<String> AUTH_ACCESS_KEY = declare(
                    "auth.access_key",
                    Types.STRING,
                    MockStorageRuntime.DEFAULT_ACCESS_KEY,
                    "The access key id clients sign with; in strict mode any other is `InvalidAccessKeyId`.")
            .check(
                    k -> !k.isEmpty() && !k.contains("/") && k.chars().noneMatch(c -> c <= ' ' || c > '~'),
                    k -> "\"" + k.text()
                            + "\" is not an access key id (printable ASCII without spaces or '/', not empty)");
    public static final Setting<String> AUTH_SECRET_KEY = declare(
                    "auth.secret_key",
                    Types.STRING,
                    MockStorageRuntime.DEFAULT_SECRET_KEY,
                    "The secret key of `auth.access_key`; in strict mode a signature made with another is `SignatureDoesNotMatch`.")
            .check(s -> !s.isEmpty(), s -> "must not be empty");
    // console: the web console at /_console/ (in-process servers start with false: ConfigLoader.loadInProcess)
    public static final Setting<Boolean> CONSOLE_ENABLED = declare(
            "console.enabled",
            Types.BOOL,
            true,
            "true (jar, image); false in-process",
            "Serve the web console at `/_console/` on the server's port (see Web console); off, the path answers 404 saying so.");

    private static final List<Setting<?>> VALUES = List.copyOf(ALL);
    private static final Map<String, Setting<?>> BY_NAME = new LinkedHashMap<>();

    static {
        VALUES.forEach(s -> BY_NAME.put(s.dottedName, s));
    }

    /** A check of one setting's value; it throws {@link Value#fail} naming the field at fault. */
    interface Check<T> {
        void verify(Value<T> value);
    }

    private final String dottedName;
    private final Type<T> type;
    private final T defaultValue;
    private final String defaultText;
    private final String description;
    private final List<Check<T>> checks = new ArrayList<>();

    private Setting(String dottedName, Type<T> type, T defaultValue, String defaultText, String description) {
        this.dottedName = dottedName;
        this.type = type;
        this.defaultValue = defaultValue;
        this.defaultText = defaultText;
        this.description = description;
    }

    private static <T> Setting<T> declare(String name, Type<T> type, T defaultValue, String description) {
        return declare(name, type, defaultValue, String.valueOf(defaultValue), description);
    }

    /** @param defaultValue null: unset unless given (what that means is in {@code defaultText}) */
    private static <T> Setting<T> declare(
            String name, Type<T> type, T defaultValue, String defaultText, String description) {
        Setting<T> setting = new Setting<>(name, type, defaultValue, defaultText, description);
        ALL.add(setting);
        return setting;
    }

    /** Adds a check, run on the value that wins (unless it is unset). */
    private Setting<T> check(Check<T> check) {
        checks.add(check);
        return this;
    }

    /** A value for which {@code ok} is false fails with {@code problem}. */
    private Setting<T> check(Predicate<T> ok, Function<Value<T>, String> problem) {
        return check(value -> {
            if (!ok.test(value.value())) {
                throw value.fail(problem.apply(value));
            }
        });
    }

    /** A value for which {@code ok} is false fails with {@code must be <rule>, got <value>}. */
    private Setting<T> require(Predicate<T> ok, String rule) {
        return check(ok, value -> "must be " + rule + ", got " + value.value());
    }

    /** The name in {@code config.json} and on the command line, e.g. {@code server.port}. */
    public String dottedName() {
        return dottedName;
    }

    /** The environment variable: {@code MOCK_STORAGE_} + the dotted name upper-cased, {@code .} -> {@code _}. */
    public String envName() {
        return ENV_PREFIX + dottedName.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** The default as text, for help and documentation ({@code storage.nodes} = {@code 3} means stg1..stg3). */
    public String defaultText() {
        return defaultText;
    }

    /** What the setting does, one sentence (Markdown backticks allowed). */
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return dottedName;
    }

    Type<T> type() {
        return type;
    }

    /** The typed default; null when the setting is unset unless given. */
    T defaultValue() {
        return defaultValue;
    }

    /** Runs the checks; an unset value has nothing to check. */
    void verify(Value<T> value) {
        if (value.value() != null) {
            checks.forEach(check -> check.verify(value));
        }
    }

    /** Every setting, in the order of the README's table. */
    public static List<Setting<?>> values() {
        return VALUES;
    }

    /** The setting with this dotted name, if there is one. */
    public static Optional<Setting<?>> byName(String dottedName) {
        return Optional.ofNullable(BY_NAME.get(dottedName));
    }

    /** The dotted names of all settings, comma separated, for error messages. */
    public static String knownNames() {
        return String.join(", ", BY_NAME.keySet());
    }

    /** The README's configuration table: setting, environment variable, default, meaning. */
    public static String markdownTable() {
        StringBuilder sb = new StringBuilder();
        sb.append("| setting | environment variable | default | meaning |\n");
        sb.append("|---|---|---|---|\n");
        for (Setting<?> s : VALUES) {
            sb.append("| `")
                    .append(s.dottedName)
                    .append("` | `")
                    .append(s.envName())
                    .append("` | `")
                    .append(s.defaultText)
                    .append("` | ")
                    .append(s.description)
                    .append(" |\n");
        }
        return sb.toString();
    }

    /** {@code auth.mode}: true for strict, false for open, null for anything else. */
    static Boolean authMode(String mode) {
        return switch (mode.strip().toLowerCase(Locale.ROOT)) {
            case "strict" -> Boolean.TRUE;
            case "open" -> Boolean.FALSE;
            default -> null;
        };
    }

    private static void sqliteFile(Value<String> dsn) {
        if (dsn.value().equals(":memory:")) {
            throw dsn.fail("\"" + dsn.text() + "\": an in-memory database is not supported; give a file path");
        }
        if (dsn.value().contains("?")) {
            throw dsn.fail("\"" + dsn.text() + "\": connection options are not supported; give the file path only");
        }
        Types.checkPath(dsn);
    }
}
