package dev.mockstorage.internal.metadata;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.sqlite.JDBC;
import org.sqlite.SQLiteConnection;

/** One SQLite connection with its prepared statements cached by SQL text. Used by one thread at a time. */
final class SqlConnection implements AutoCloseable {
    private static final Object FIRST = new Object();
    private static volatile boolean connected;

    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    private SqlConnection(Connection connection) {
        this.connection = connection;
    }

    /**
     * Opens a connection and applies the per-connection pragmas.
     *
     * @param readOnly true: {@code query_only}, so a bug cannot write through a read connection
     */
    static SqlConnection open(Path file, boolean fsync, long busyTimeoutMillis, boolean readOnly) throws SQLException {
        Properties properties = new Properties();
        // sqlite-jdbc's default runs a regex over every executed statement and, after each INSERT, compiles
        // and runs a second statement (SELECT last_insert_rowid()) for getGeneratedKeys, which we never call
        properties.setProperty("jdbc.get_generated_keys", "false");
        // the driver itself, not DriverManager: no scan of the class path for other drivers, no caller check
        Connection connection = connect(JDBC.PREFIX + file.toAbsolutePath(), properties);
        SqlConnection sql = new SqlConnection(connection);
        try {
            sql.execute("PRAGMA busy_timeout = " + Math.max(0, Math.min(busyTimeoutMillis, Integer.MAX_VALUE))
                    + "; PRAGMA foreign_keys = ON; PRAGMA synchronous = " + (fsync ? "FULL" : "OFF")
                    + "; PRAGMA temp_store = MEMORY" + (readOnly ? "; PRAGMA query_only = ON" : ""));
        } catch (SQLException | RuntimeException e) {
            sql.close();
            throw e;
        }
        return sql;
    }

    /**
     * The driver's connection. The first of a JVM loads the native library and builds the driver's date
     * formats (the JDK's calendar and locale data: some 50 ms of a cold JVM); a thread that asks meanwhile
     * (the jar's start while its {@link #preload} runs) waits for it instead of doing the same work beside it.
     */
    private static Connection connect(String url, Properties properties) throws SQLException {
        if (connected) {
            return JDBC.createConnection(url, properties);
        }
        synchronized (FIRST) {
            Connection connection = JDBC.createConnection(url, properties);
            connected = true;
            return connection;
        }
    }

    /**
     * {@link MetadataStore#preload}: the driver, its native library, and a query through a prepared
     * statement (the classes every read loads), in memory.
     */
    static void preload() {
        try (Connection connection = connect(JDBC.PREFIX + ":memory:", new Properties());
                PreparedStatement statement = connection.prepareStatement("SELECT sqlite_version(), ?")) {
            statement.setLong(1, 1);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                rs.getString(1);
                rs.getLong(2);
            }
        } catch (SQLException | RuntimeException | LinkageError e) {
            // open() meets the same problem and reports it
        }
    }

    /** The cached statement for {@code sql}, prepared on first use. */
    PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
    }

    /**
     * Runs a query without parameters through the statement cache and hands the values of its first column
     * to {@code sink}, one row at a time (none are held here).
     */
    void selectStrings(String sql, Consumer<String> sink) throws SQLException {
        try (ResultSet rs = prepare(sql).executeQuery()) {
            while (rs.next()) {
                sink.accept(rs.getString(1));
            }
        }
    }

    /**
     * Runs a statement that returns no rows through the statement cache: for the few transaction
     * control statements run on every write ({@code BEGIN IMMEDIATE}, {@code COMMIT}, savepoints), which
     * are then compiled once per connection instead of once per transaction.
     */
    void executeCached(String sql) throws SQLException {
        prepare(sql).execute();
    }

    /**
     * Runs statements that return nothing worth reading (schema changes, pragmas, transaction control),
     * several at once when separated by {@code ;}, without caching them: SQLite's own {@code sqlite3_exec},
     * one call into the driver's native library. Through a JDBC {@code Statement} each costs about 90 µs
     * of the driver's bookkeeping, which a connection's five pragmas paid at every open.
     */
    void execute(String sql) throws SQLException {
        connection.unwrap(SQLiteConnection.class).getDatabase()._exec(sql);
    }

    Connection connection() {
        return connection;
    }

    /** Closes every cached statement and the connection; never throws. */
    @Override
    public void close() {
        for (PreparedStatement statement : statements.values()) {
            try {
                statement.close();
            } catch (SQLException e) {
                // closing anyway
            }
        }
        statements.clear();
        try {
            connection.close();
        } catch (SQLException e) {
            // nothing more to release
        }
    }
}
