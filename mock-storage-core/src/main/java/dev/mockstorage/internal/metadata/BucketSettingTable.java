package dev.mockstorage.internal.metadata;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL of {@code bucket_settings}: one row per bucket and {@link BucketSetting} it has, deleted with
 * the bucket (foreign key) or when the setting is removed.
 */
final class BucketSettingTable {
    private BucketSettingTable() {}

    static <T> Optional<T> find(SqlConnection db, String bucket, BucketSetting<T> setting) throws SQLException {
        PreparedStatement ps = db.prepare("SELECT value FROM bucket_settings WHERE bucket = ? AND name = ?");
        ps.setString(1, bucket);
        ps.setString(2, setting.name());
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(setting.decode(rs.getString(1))) : Optional.empty();
        }
    }

    /** Every bucket that has the setting, with its value, by bucket name. */
    static <T> Map<String, T> all(SqlConnection db, BucketSetting<T> setting) throws SQLException {
        PreparedStatement ps = db.prepare("SELECT bucket, value FROM bucket_settings WHERE name = ? ORDER BY bucket");
        ps.setString(1, setting.name());
        Map<String, T> values = new LinkedHashMap<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                values.put(rs.getString(1), setting.decode(rs.getString(2)));
            }
        }
        return values;
    }

    /** Sets the bucket's setting (the bucket must exist); null removes it. */
    static <T> void put(SqlConnection db, String bucket, BucketSetting<T> setting, T value) throws SQLException {
        PreparedStatement ps;
        if (value == null) {
            ps = db.prepare("DELETE FROM bucket_settings WHERE bucket = ? AND name = ?");
        } else {
            ps = db.prepare("INSERT OR REPLACE INTO bucket_settings (bucket, name, value) VALUES (?, ?, ?)");
            ps.setString(3, setting.encode(value));
        }
        ps.setString(1, bucket);
        ps.setString(2, setting.name());
        ps.executeUpdate();
    }
}
