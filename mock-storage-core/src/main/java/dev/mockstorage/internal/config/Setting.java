package dev.mockstorage.internal.config;

import java.util.Locale;
import java.util.Optional;

/**
 * Every setting, listed once: its dotted {@code config.json} name, the environment variable derived
 * from it, the default and what it means. The command-line help, the environment lookup and the
 * README's configuration table are all generated from this list (a test keeps the README equal to
 * {@link #markdownTable()}).
 */
public enum Setting {
    SERVER_HOST("server.host", "127.0.0.1",
            "Address to listen on; `0.0.0.0` listens on every interface."),
    SERVER_PORT("server.port", "8080",
            "Port to listen on (0..65535); 0 picks a free port."),
    SERVER_DOMAIN("server.domain", "localhost",
            "Service domains for virtual-host-style requests, comma separated: a request to `bucket.<domain>[:port]` "
                    + "addresses `bucket`; the domain itself, an IP address or any other host is path style."),
    SERVER_MAX_CONNECTIONS("server.max_connections", String.valueOf(Config.Server.DEFAULT_MAX_CONNECTIONS),
            "Open client connections at most (at least 1); one more is answered `503 SlowDown` and closed. Idle "
                    + "keep-alive connections count but hold no thread; requests are served by at most 128 threads."),
    SERVER_HEAD_TIMEOUT_MS("server.head_timeout_ms", String.valueOf(Config.Server.DEFAULT_HEAD_TIMEOUT_MS),
            "Milliseconds a client has to send a whole request head (from connecting, or from the first byte of its "
                    + "next request on a kept-alive connection), else it is closed. Separate from the idle timeout: "
                    + "120 s between requests and between body bytes."),
    STORAGE_DATA_DIR("storage.data_dir", "./data",
            "Directory below which the nodes and the database live unless configured elsewhere."),
    STORAGE_NODES("storage.nodes", "3",
            "Storage nodes. In config.json an array of `{\"id\", \"path\"}`; as a setting either a count N "
                    + "(nodes `stg1..stgN` under the data directory) or `id=path,id=path`."),
    STORAGE_AUTO_CREATE_BUCKETS("storage.auto_create_buckets", "false",
            "Create a bucket on the first PUT into it instead of answering `NoSuchBucket`."),
    STORAGE_BUCKETS("storage.buckets", "none",
            "Buckets to create at start, comma separated (in config.json an array of names); S3's naming rules "
                    + "apply and buckets that already exist are kept."),
    STORAGE_FSYNC("storage.fsync", "false",
            "Flush every blob and database write to disk (slower; only needed to survive power loss)."),
    // consistency: write quorum, consistency check
    STORAGE_WRITE_QUORUM("storage.write_quorum", "(number of nodes)",
            "Nodes a write must reach (1..nodes); fewer answers `503 ServiceUnavailable` and stores nothing. Below "
                    + "the node count, replicas a down node missed are repaired when it returns."),
    STORAGE_CHECK_INTERVAL_MS("storage.check_interval_ms", "0",
            "Run the consistency check with repair every N ms; 0 runs it only on demand."),
    STORAGE_ORPHAN_GRACE_MS("storage.orphan_grace_ms", "60000",
            "Blob files no object or task refers to are removed by a repairing check once older than this (ms)."),
    STORAGE_ABANDONED_UPLOAD_MS("storage.abandoned_upload_ms", "86400000",
            "A repairing check (the periodic one too) aborts multipart uploads initiated longer ago than this (ms), "
                    + "like S3's lifecycle rule `AbortIncompleteMultipartUpload`; their part files go when the queue runs. 0 keeps them."),
    DATABASE_DRIVER("database.driver", "sqlite3",
            "Metadata database driver; only `sqlite3` (or `sqlite`)."),
    DATABASE_DSN("database.dsn", "<data_dir>/metadata.db",
            "The SQLite database file."),
    QUEUE_SIZE("queue.size", "1000",
            "Maximum number of background tasks waiting to run (at least 1)."),
    QUEUE_WORKERS("queue.workers", "2",
            "Threads running background tasks. 0 runs none: tasks wait in the database for a server with "
                    + "workers on the same data (for tests of restarts and of a full queue)."),
    QUEUE_FULL_WAIT_MS("queue.full_wait_ms", "10000",
            "How long (ms) an upload or delete waits for room in a full queue before answering `503 SlowDown`."),
    THIRD_PARTY_ENABLED("third_party.enabled", "true",
            "Read a GET/HEAD of a missing key through from the third party; `false` turns read-through and scripting off."),
    THIRD_PARTY_URL("third_party.url", "(none)",
            "URL template of a real upstream, e.g. `http://host:port/{bucket}/{key}` (`{key}` percent-encoded per segment). "
                    + "Unset: the in-process scripted upstream, used while it has scripts."),
    THIRD_PARTY_BUCKETS("third_party.buckets", "(all)",
            "Buckets that read through. In config.json an array of names or `{\"name\", \"url\"}` (the bucket's own "
                    + "template); as a setting `name,name=url`."),
    THIRD_PARTY_HEADERS("third_party.headers", "(none)",
            "Headers sent with every fetch. In config.json an object of strings; as a setting `Name=value,Name=value`."),
    THIRD_PARTY_TIMEOUT_MS("third_party.timeout_ms", "5000",
            "Milliseconds allowed to connect, to get the response head, and between body bytes (at least 1)."),
    THIRD_PARTY_RETRIES("third_party.retries", "2",
            "Extra attempts after a connection error or a 5xx answer (0..10); timeouts are not retried."),
    THIRD_PARTY_SCRIPTS("third_party.scripts", "(none)",
            "A JSON file of third-party scripts loaded at start (see Scripting the third party)."),
    // observe: request journal, metrics, access log
    JOURNAL_SIZE("journal.size", "1000",
            "Requests the request journal keeps (the last N S3 requests); 0 turns the journal off."),
    METRICS_ENABLED("metrics.enabled", "true",
            "Count requests for `/metrics` and the request figures of `/api/v1/stats`; `false` skips that work."),
    LOG_ACCESS("log.access", "off",
            "JSON access log, one line per request: `off`, `stdout`, or a file path (appended to)."),
    // auth: signature checking (strict mode)
    AUTH_MODE("auth.mode", "open",
            "`open`: any credentials are accepted and signatures are not checked. `strict`: every S3 request must be "
                    + "signed with Signature Version 4 (header, presigned URL, signed chunks) by `auth.access_key`."),
    AUTH_ACCESS_KEY("auth.access_key", Config.Auth.DEFAULT_ACCESS_KEY,
            "The access key id clients sign with; in strict mode any other is `InvalidAccessKeyId`."),
    AUTH_SECRET_KEY("auth.secret_key", Config.Auth.DEFAULT_SECRET_KEY,
            "The secret key of `auth.access_key`; in strict mode a signature made with another is `SignatureDoesNotMatch`.");

    /** Prefix of every environment variable that configures the server. */
    public static final String ENV_PREFIX = "MOCK_STORAGE_";

    private final String dottedName;
    private final String defaultText;
    private final String description;

    Setting(String dottedName, String defaultText, String description) {
        this.dottedName = dottedName;
        this.defaultText = defaultText;
        this.description = description;
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

    /** The setting with this dotted name, if there is one. */
    public static Optional<Setting> byName(String dottedName) {
        for (Setting s : values()) {
            if (s.dottedName.equals(dottedName)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The dotted names of all settings, comma separated, for error messages. */
    public static String knownNames() {
        StringBuilder sb = new StringBuilder();
        for (Setting s : values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(s.dottedName);
        }
        return sb.toString();
    }

    /** The README's configuration table: setting, environment variable, default, meaning. */
    public static String markdownTable() {
        StringBuilder sb = new StringBuilder();
        sb.append("| setting | environment variable | default | meaning |\n");
        sb.append("|---|---|---|---|\n");
        for (Setting s : values()) {
            sb.append("| `").append(s.dottedName).append("` | `").append(s.envName()).append("` | `")
                    .append(s.defaultText).append("` | ").append(s.description).append(" |\n");
        }
        return sb.toString();
    }
}
