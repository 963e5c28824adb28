package dev.mockstorage.internal.metadata;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** The SQL of {@code bucket_object_lock} (a bucket's configuration) and {@code object_locks} (one version's lock). */
final class ObjectLockTable {
    private ObjectLockTable() {}

    static Optional<ObjectLockConfig> config(SqlConnection db, String bucket) throws SQLException {
        PreparedStatement ps =
                db.prepare("SELECT default_mode, default_days, default_years FROM bucket_object_lock WHERE bucket = ?");
        ps.setString(1, bucket);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new ObjectLockConfig(rs.getString(1), integer(rs, 2), integer(rs, 3)));
        }
    }

    static void setConfig(SqlConnection db, String bucket, ObjectLockConfig c) throws SQLException {
        PreparedStatement ps = db.prepare(
                "INSERT OR REPLACE INTO bucket_object_lock (bucket, default_mode, default_days, default_years)"
                        + " VALUES (?, ?, ?, ?)");
        ps.setString(1, bucket);
        Columns.setNullableString(ps, 2, c.defaultMode());
        setInteger(ps, 3, c.defaultDays());
        setInteger(ps, 4, c.defaultYears());
        ps.executeUpdate();
    }

    /** The buckets with object lock enabled. */
    static Set<String> buckets(SqlConnection db) throws SQLException {
        Set<String> names = new HashSet<>();
        try (ResultSet rs = db.prepare("SELECT bucket FROM bucket_object_lock").executeQuery()) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    static Optional<ObjectLock> lock(SqlConnection db, String bucket, String key, String versionId)
            throws SQLException {
        PreparedStatement ps = db.prepare("SELECT mode, retain_until, legal_hold FROM object_locks"
                + " WHERE bucket = ? AND key = ? AND version_id = ?");
        ps.setString(1, bucket);
        ps.setString(2, key);
        ps.setString(3, versionId);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            long until = rs.getLong(2);
            Instant retainUntil = rs.wasNull() ? null : Instant.ofEpochMilli(until);
            int hold = rs.getInt(3);
            Boolean legalHold = rs.wasNull() ? null : hold != 0;
            return Optional.of(new ObjectLock(rs.getString(1), retainUntil, legalHold));
        }
    }

    /** Replaces the version's lock; an empty one (or null) deletes the row. */
    static void setLock(SqlConnection db, String bucket, String key, String versionId, ObjectLock lock)
            throws SQLException {
        if (lock == null || lock.isEmpty()) {
            PreparedStatement ps =
                    db.prepare("DELETE FROM object_locks WHERE bucket = ? AND key = ? AND version_id = ?");
            ps.setString(1, bucket);
            ps.setString(2, key);
            ps.setString(3, versionId);
            ps.executeUpdate();
            return;
        }
        PreparedStatement ps = db.prepare(
                "INSERT OR REPLACE INTO object_locks (bucket, key, version_id, mode, retain_until, legal_hold)"
                        + " VALUES (?, ?, ?, ?, ?, ?)");
        ps.setString(1, bucket);
        ps.setString(2, key);
        ps.setString(3, versionId);
        Columns.setNullableString(ps, 4, lock.mode());
        if (lock.retainUntil() == null) {
            ps.setNull(5, Types.INTEGER);
        } else {
            ps.setLong(5, lock.retainUntil().toEpochMilli());
        }
        setInteger(ps, 6, lock.legalHold() == null ? null : lock.legalHold() ? 1 : 0);
        ps.executeUpdate();
    }

    private static Integer integer(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    private static void setInteger(PreparedStatement ps, int index, Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }
}
