package dev.mockstorage.internal.metadata;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The SQL of the {@code tasks} table, the write-ahead log of follow-up work: queueing (in the
 * transaction of the change that needs the task), claiming, outcomes and counts. A task is
 * {@code pending} (due at {@code next_run_at}), {@code running} (claimed), {@code failed} (parked
 * with its last error) or {@code waiting} (for a storage node to return).
 */
final class TaskTable {
    private TaskTable() {}

    /** State of a task waiting for a storage node to return ({@link Tx#enqueueWaitingTask}). */
    private static final String WAITING = "waiting";

    private static final String RUNNING = "running";
    private static final String FAILED = "failed";

    private static final String COLUMNS = "id, kind, payload, state, attempts, created_at, next_run_at, last_error";

    /** Maps a row selected with {@link #COLUMNS}. */
    private static TaskRecord row(ResultSet rs) throws SQLException {
        return new TaskRecord(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getInt(5),
                Instant.ofEpochMilli(rs.getLong(6)),
                Instant.ofEpochMilli(rs.getLong(7)),
                rs.getString(8));
    }

    /** Queues a pending task, due now; returns its id. */
    static long enqueue(SqlConnection db, String kind, String payload) throws SQLException {
        long now = System.currentTimeMillis();
        PreparedStatement ps = db.prepare("INSERT INTO tasks (kind, payload, state, attempts, created_at, next_run_at)"
                + " VALUES (?, ?, 'pending', 0, ?, ?)");
        ps.setString(1, kind);
        Columns.setNullableString(ps, 2, payload);
        ps.setLong(3, now);
        ps.setLong(4, now);
        ps.executeUpdate();
        try (ResultSet rs = db.prepare("SELECT last_insert_rowid()").executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Queues a task that waits for a storage node to return ({@link #releaseWaiting}). */
    static void enqueueWaiting(SqlConnection db, String kind, String payload) throws SQLException {
        long now = System.currentTimeMillis();
        PreparedStatement ps = db.prepare("INSERT INTO tasks (kind, payload, state, attempts, created_at, next_run_at)"
                + " VALUES (?, ?, '" + WAITING + "', 0, ?, ?)");
        ps.setString(1, kind);
        Columns.setNullableString(ps, 2, payload);
        ps.setLong(3, now);
        ps.setLong(4, now);
        ps.executeUpdate();
    }

    /** Queues a pending task unless one with {@code uniqueKey} is in the table; true when queued. */
    static boolean enqueueOnce(SqlConnection db, String kind, String payload, String uniqueKey) throws SQLException {
        long now = System.currentTimeMillis();
        PreparedStatement ps = db.prepare("INSERT OR IGNORE INTO tasks"
                + " (kind, payload, state, attempts, created_at, next_run_at, unique_key)"
                + " VALUES (?, ?, 'pending', 0, ?, ?, ?)");
        ps.setString(1, kind);
        Columns.setNullableString(ps, 2, payload);
        ps.setLong(3, now);
        ps.setLong(4, now);
        ps.setString(5, uniqueKey);
        return ps.executeUpdate() == 1;
    }

    /** True when a task queued under {@code uniqueKey} is in the table (open or parked). */
    static boolean exists(SqlConnection db, String uniqueKey) throws SQLException {
        PreparedStatement ps = db.prepare("SELECT 1 FROM tasks WHERE unique_key = ?");
        ps.setString(1, uniqueKey);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    /** True when a pending task's next_run_at is not after {@code now}. */
    static boolean hasDue(SqlConnection db, Instant now) throws SQLException {
        PreparedStatement ps = db.prepare("SELECT 1 FROM tasks WHERE state = 'pending' AND next_run_at <= ? LIMIT 1");
        ps.setLong(1, now.toEpochMilli());
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    /**
     * Marks up to {@code max} pending tasks due at {@code now} running (attempts + 1), oldest first;
     * the records returned show the new state.
     */
    static List<TaskRecord> claim(SqlConnection db, int max, Instant now) throws SQLException {
        PreparedStatement select = db.prepare(
                "SELECT " + COLUMNS + " FROM tasks WHERE state = 'pending' AND next_run_at <= ? ORDER BY id LIMIT ?");
        select.setLong(1, now.toEpochMilli());
        select.setInt(2, max);
        List<TaskRecord> claimed = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                TaskRecord t = row(rs);
                claimed.add(new TaskRecord(
                        t.id(),
                        t.kind(),
                        t.payload(),
                        RUNNING,
                        t.attempts() + 1,
                        t.createdAt(),
                        t.nextRunAt(),
                        t.lastError()));
            }
        }
        PreparedStatement update =
                db.prepare("UPDATE tasks SET state = 'running', attempts = attempts + 1 WHERE id = ?");
        for (TaskRecord t : claimed) {
            update.setLong(1, t.id());
            update.executeUpdate();
        }
        return claimed;
    }

    /** Removes finished tasks. */
    static void delete(SqlConnection db, List<Long> ids) throws SQLException {
        PreparedStatement ps = db.prepare("DELETE FROM tasks WHERE id = ?");
        for (long id : ids) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }

    /** Puts a task back to pending after a failed attempt, not to be claimed before {@code nextRunAt}. */
    static int retry(SqlConnection db, long id, String error, Instant nextRunAt) throws SQLException {
        PreparedStatement ps =
                db.prepare("UPDATE tasks SET state = 'pending', last_error = ?, next_run_at = ? WHERE id = ?");
        Columns.setNullableString(ps, 1, error);
        ps.setLong(2, nextRunAt.toEpochMilli());
        ps.setLong(3, id);
        return ps.executeUpdate();
    }

    /** Parks a task as failed, keeping its last error. */
    static int fail(SqlConnection db, long id, String error) throws SQLException {
        PreparedStatement ps = db.prepare("UPDATE tasks SET state = 'failed', last_error = ? WHERE id = ?");
        Columns.setNullableString(ps, 1, error);
        ps.setLong(2, id);
        return ps.executeUpdate();
    }

    /** Makes tasks left running by a previous process pending again; returns how many. */
    static int resetRunning(SqlConnection db) throws SQLException {
        return db.prepare("UPDATE tasks SET state = 'pending' WHERE state = 'running'")
                .executeUpdate();
    }

    /** Makes every waiting task pending, due at {@code now}; returns how many. */
    static int releaseWaiting(SqlConnection db, Instant now) throws SQLException {
        PreparedStatement ps =
                db.prepare("UPDATE tasks SET state = 'pending', next_run_at = ? WHERE state = '" + WAITING + "'");
        ps.setLong(1, now.toEpochMilli());
        return ps.executeUpdate();
    }

    /** Pending and running tasks. */
    static long countOpen(SqlConnection db) throws SQLException {
        return count(db, "SELECT count(*) FROM tasks WHERE state IN ('pending', 'running')");
    }

    /** Tasks parked as failed. */
    static long countFailed(SqlConnection db) throws SQLException {
        return count(db, "SELECT count(*) FROM tasks WHERE state = '" + FAILED + "'");
    }

    /** Tasks waiting for a storage node. */
    static long countWaiting(SqlConnection db) throws SQLException {
        return count(db, "SELECT count(*) FROM tasks WHERE state = '" + WAITING + "'");
    }

    private static long count(SqlConnection db, String sql) throws SQLException {
        try (ResultSet rs = db.prepare(sql).executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Pending and running tasks, oldest first, at most {@code limit}. */
    static List<TaskRecord> open(SqlConnection db, int limit) throws SQLException {
        return list(
                db,
                "SELECT " + COLUMNS + " FROM tasks WHERE state IN ('pending', 'running') ORDER BY id LIMIT ?",
                limit);
    }

    /** Tasks parked as failed, oldest first, at most {@code limit}. */
    static List<TaskRecord> failed(SqlConnection db, int limit) throws SQLException {
        return list(db, "SELECT " + COLUMNS + " FROM tasks WHERE state = '" + FAILED + "' ORDER BY id LIMIT ?", limit);
    }

    private static List<TaskRecord> list(SqlConnection db, String sql, int limit) throws SQLException {
        PreparedStatement ps = db.prepare(sql);
        ps.setInt(1, Math.max(0, limit));
        List<TaskRecord> tasks = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                tasks.add(row(rs));
            }
        }
        return tasks;
    }

    /**
     * Every blob id named in a task's payload (any state): tokens of 32 lower-case hex characters,
     * so an ETag in a payload is included too (harmless).
     */
    static Set<String> payloadBlobIds(SqlConnection db) throws SQLException {
        Set<String> ids = new HashSet<>();
        try (ResultSet rs = db.prepare("SELECT payload FROM tasks WHERE payload IS NOT NULL")
                .executeQuery()) {
            while (rs.next()) {
                for (String token : rs.getString(1).split(" ")) {
                    if (token.length() == 32
                            && token.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                        ids.add(token);
                    }
                }
            }
        }
        return ids;
    }
}
