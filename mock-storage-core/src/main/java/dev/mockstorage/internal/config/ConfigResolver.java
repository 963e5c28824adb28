package dev.mockstorage.internal.config;

import static dev.mockstorage.internal.config.Setting.AUTH_ACCESS_KEY;
import static dev.mockstorage.internal.config.Setting.AUTH_MODE;
import static dev.mockstorage.internal.config.Setting.AUTH_SECRET_KEY;
import static dev.mockstorage.internal.config.Setting.CONSOLE_ENABLED;
import static dev.mockstorage.internal.config.Setting.DATABASE_DRIVER;
import static dev.mockstorage.internal.config.Setting.DATABASE_DSN;
import static dev.mockstorage.internal.config.Setting.JOURNAL_SIZE;
import static dev.mockstorage.internal.config.Setting.LOG_ACCESS;
import static dev.mockstorage.internal.config.Setting.METRICS_ENABLED;
import static dev.mockstorage.internal.config.Setting.QUEUE_FULL_WAIT_MS;
import static dev.mockstorage.internal.config.Setting.QUEUE_SIZE;
import static dev.mockstorage.internal.config.Setting.QUEUE_WORKERS;
import static dev.mockstorage.internal.config.Setting.SERVER_DOMAIN;
import static dev.mockstorage.internal.config.Setting.SERVER_HEAD_TIMEOUT_MS;
import static dev.mockstorage.internal.config.Setting.SERVER_HOST;
import static dev.mockstorage.internal.config.Setting.SERVER_MAX_CONNECTIONS;
import static dev.mockstorage.internal.config.Setting.SERVER_PORT;
import static dev.mockstorage.internal.config.Setting.STORAGE_ABANDONED_UPLOAD_MS;
import static dev.mockstorage.internal.config.Setting.STORAGE_AUTO_CREATE_BUCKETS;
import static dev.mockstorage.internal.config.Setting.STORAGE_BUCKETS;
import static dev.mockstorage.internal.config.Setting.STORAGE_CHECK_INTERVAL_MS;
import static dev.mockstorage.internal.config.Setting.STORAGE_DATA_DIR;
import static dev.mockstorage.internal.config.Setting.STORAGE_FSYNC;
import static dev.mockstorage.internal.config.Setting.STORAGE_NODES;
import static dev.mockstorage.internal.config.Setting.STORAGE_ORPHAN_GRACE_MS;
import static dev.mockstorage.internal.config.Setting.STORAGE_WRITE_QUORUM;
import static dev.mockstorage.internal.config.Setting.THIRD_PARTY_BUCKETS;
import static dev.mockstorage.internal.config.Setting.THIRD_PARTY_ENABLED;
import static dev.mockstorage.internal.config.Setting.THIRD_PARTY_HEADERS;
import static dev.mockstorage.internal.config.Setting.THIRD_PARTY_RETRIES;
import static dev.mockstorage.internal.config.Setting.THIRD_PARTY_SCRIPTS;
import static dev.mockstorage.internal.config.Setting.THIRD_PARTY_TIMEOUT_MS;
import static dev.mockstorage.internal.config.Setting.THIRD_PARTY_URL;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns checked setting values into the {@link Config} the server reads: relative paths resolved
 * against the working directory, and every rule that spans settings (node directories apart from
 * each other, the database beside them and by default under the data directory, the write quorum
 * within the node count, scripts only for the in-process upstream).
 */
final class ConfigResolver {

    private final SettingValues values;
    private final Path base;

    private ConfigResolver(SettingValues values, Path base) {
        this.values = values;
        this.base = base;
    }

    /** @param base the absolute directory relative paths are resolved against */
    static Config resolve(SettingValues values, Path base) {
        return new ConfigResolver(values, base).config();
    }

    private Config config() {
        Path dataDir = path(values.value(STORAGE_DATA_DIR));
        List<Config.Node> nodes = nodes(dataDir);
        return new Config(
                new Config.Server(
                        values.get(SERVER_HOST),
                        values.get(SERVER_PORT),
                        values.get(SERVER_DOMAIN),
                        values.get(SERVER_MAX_CONNECTIONS),
                        values.get(SERVER_HEAD_TIMEOUT_MS)),
                new Config.Storage(
                        dataDir,
                        nodes,
                        values.get(STORAGE_AUTO_CREATE_BUCKETS),
                        values.get(STORAGE_FSYNC),
                        values.get(STORAGE_BUCKETS),
                        new Config.Consistency(
                                writeQuorum(nodes.size()),
                                values.get(STORAGE_CHECK_INTERVAL_MS),
                                values.get(STORAGE_ORPHAN_GRACE_MS),
                                values.get(STORAGE_ABANDONED_UPLOAD_MS))),
                new Config.Database(values.get(DATABASE_DRIVER), databaseFile(dataDir, nodes)),
                new Config.Queue(values.get(QUEUE_SIZE), values.get(QUEUE_WORKERS), values.get(QUEUE_FULL_WAIT_MS)),
                thirdParty(),
                new Config.Observe(values.get(JOURNAL_SIZE), values.get(METRICS_ENABLED), accessLog()),
                new Config.Auth(
                        Setting.authMode(values.get(AUTH_MODE)),
                        values.get(AUTH_ACCESS_KEY),
                        values.get(AUTH_SECRET_KEY)),
                values.get(CONSOLE_ENABLED));
    }

    /** Each node's directory: its own, or {@code <data_dir>/<id>}; no two the same or one inside another. */
    private List<Config.Node> nodes(Path dataDir) {
        List<Config.Node> nodes = new ArrayList<>();
        for (NodeSpec spec : values.get(STORAGE_NODES)) {
            Value<String> id = spec.id();
            Path p = spec.path() == null ? dataDir.resolve(id.value()) : path(spec.path());
            Value<String> shown = spec.path() != null
                    ? spec.path()
                    : Value.of(p.toString(), id.origin(), id.field().replace(".id", ".path"));
            for (Config.Node other : nodes) {
                if (other.path().equals(p)) {
                    throw shown.fail("\"" + shown.text() + "\" is already used by node " + other.id());
                }
                if (p.startsWith(other.path())) {
                    throw shown.fail("\"" + shown.text() + "\" is inside the directory of node " + other.id());
                }
                if (other.path().startsWith(p)) {
                    throw shown.fail("\"" + shown.text() + "\" contains the directory of node " + other.id());
                }
            }
            nodes.add(new Config.Node(id.value(), p));
        }
        return List.copyOf(nodes);
    }

    /** {@code database.dsn}, by default {@code <data_dir>/metadata.db}; never inside a node's directory. */
    private Path databaseFile(Path dataDir, List<Config.Node> nodes) {
        Value<String> dsn = values.value(DATABASE_DSN);
        Path db = dsn.value() == null ? dataDir.resolve("metadata.db") : path(dsn);
        for (Config.Node n : nodes) {
            if (db.startsWith(n.path())) {
                Value<String> where = dsn.value() != null
                        ? dsn
                        : Value.of(
                                db.toString(),
                                values.value(STORAGE_DATA_DIR).origin(),
                                "database.dsn (default <data_dir>/metadata.db)");
                throw where.fail("\"" + where.text() + "\" is inside the directory of node " + n.id());
            }
        }
        return db;
    }

    /** {@code storage.write_quorum} between 1 and the node count; 0 (every node) when unset. */
    private int writeQuorum(int nodeCount) {
        Value<Integer> quorum = values.value(STORAGE_WRITE_QUORUM);
        if (quorum.value() == null) {
            return 0;
        }
        if (quorum.value() < 1 || quorum.value() > nodeCount) {
            throw quorum.fail("must be between 1 and the number of nodes (" + nodeCount + "), got " + quorum.value());
        }
        return quorum.value();
    }

    /** {@code log.access}: off (null), standard output, or a file. */
    private String accessLog() {
        Value<String> log = values.value(LOG_ACCESS);
        String target = log.value().trim();
        if (target.equalsIgnoreCase("off")) {
            return null;
        }
        return target.equalsIgnoreCase(Config.Observe.STDOUT)
                ? Config.Observe.STDOUT
                : path(log).toString();
    }

    /** {@code third_party.*}; scripts need the read-through on and no {@code third_party.url}. */
    private Config.ThirdParty thirdParty() {
        Value<String> url = values.value(THIRD_PARTY_URL);
        List<Config.Bucket> buckets = null;
        if (values.get(THIRD_PARTY_BUCKETS) != null) {
            buckets = values.get(THIRD_PARTY_BUCKETS).stream()
                    .map(b -> new Config.Bucket(
                            b.name().value().trim(),
                            b.url() == null ? null : b.url().value().trim()))
                    .toList();
        }
        Value<String> scripts = values.value(THIRD_PARTY_SCRIPTS);
        if (scripts.value() != null) {
            Value<Boolean> enabled = values.value(THIRD_PARTY_ENABLED);
            if (!enabled.value()) {
                throw scripts.fail("scripts need the read-through, but " + enabled.field() + " is false ("
                        + enabled.origin() + ")");
            }
            if (url.value() != null) {
                throw scripts.fail("scripts are played by the in-process upstream, which is not used while "
                        + url.field() + " is set (" + url.origin() + ")");
            }
        }
        return new Config.ThirdParty(
                values.get(THIRD_PARTY_ENABLED),
                url.value(),
                buckets,
                Headers.resolve(values.get(THIRD_PARTY_HEADERS)),
                values.get(THIRD_PARTY_TIMEOUT_MS),
                values.get(THIRD_PARTY_RETRIES),
                scripts.value() == null ? null : path(scripts));
    }

    /** An absolute, normalised path; relative ones are resolved against the working directory. */
    private Path path(Value<String> written) {
        Types.checkPath(written);
        return base.resolve(written.value()).toAbsolutePath().normalize();
    }
}
