package dev.mockstorage.internal.metadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Column lists and row mapping shared by the store and its transactions; JSON columns via {@link FlatJson} (Jackson for anything else). */
final class Rows {
    private Rows() {
    }

    static final String OBJECT_COLUMNS =
            "bucket, key, blob_id, size, etag, content_type, last_modified, user_metadata, headers, checksums, tags, version_id";

    static final String UPLOAD_COLUMNS =
            "bucket, key, upload_id, initiated, content_type, user_metadata, headers, checksum_algorithm, checksum_type, tags";
    static final String PART_COLUMNS = "upload_id, part_number, blob_id, size, etag, last_modified, checksums";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectReader MAP_READER =
            MAPPER.readerFor(new TypeReference<LinkedHashMap<String, String>>() { });
    private static final ObjectWriter MAP_WRITER = MAPPER.writer();
    private static final ObjectReader CORS_READER = MAPPER.readerFor(new TypeReference<java.util.List<CorsRule>>() { });

    static BucketRecord bucket(ResultSet rs) throws SQLException {
        return new BucketRecord(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3));
    }

    /** Maps a row selected with {@link #OBJECT_COLUMNS}. */
    static ObjectRecord object(ResultSet rs) throws SQLException {
        return new ObjectRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                rs.getString(5), rs.getString(6), Instant.ofEpochMilli(rs.getLong(7)),
                fromJson(rs.getString(8)), fromJson(rs.getString(9)), fromJson(rs.getString(10)), fromJson(rs.getString(11)),
                rs.getString(12));
    }

    /** Maps a row selected with {@link #UPLOAD_COLUMNS}. */
    static UploadRecord upload(ResultSet rs) throws SQLException {
        return new UploadRecord(rs.getString(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)),
                rs.getString(5), fromJson(rs.getString(6)), fromJson(rs.getString(7)), rs.getString(8), rs.getString(9),
                fromJson(rs.getString(10)));
    }

    /** Maps a row selected with {@link #PART_COLUMNS}. */
    static PartRecord part(ResultSet rs) throws SQLException {
        return new PartRecord(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getLong(4), rs.getString(5),
                Instant.ofEpochMilli(rs.getLong(6)), fromJson(rs.getString(7)));
    }

    /** Maps {@code blob_id, content_md5, part_sizes} (sizes comma separated). */
    static MultipartLayout layout(ResultSet rs) throws SQLException {
        java.util.List<Long> sizes = new java.util.ArrayList<>();
        for (String s : rs.getString(3).split(",")) {
            sizes.add(Long.parseLong(s));
        }
        return new MultipartLayout(rs.getString(1), rs.getString(2), java.util.List.copyOf(sizes));
    }


    /** Null or empty: SQL NULL (nothing to parse on read); else a JSON object keeping the map's order. */
    static String toJson(Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            return null;
        }
        String flat = FlatJson.write(map);
        if (flat != null) {
            return flat;
        }
        try {
            return MAP_WRITER.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new StorageException(ErrorCode.InternalError, "cannot encode metadata map: " + e.getMessage(), null, e);
        }
    }

    /** Never null: an unmodifiable map in stored order, empty for SQL NULL. */
    static Map<String, String> fromJson(String json) {
        if (json == null || json.isEmpty()) {
            return Map.of();
        }
        Map<String, String> flat = FlatJson.read(json);
        if (flat != null) {
            return Collections.unmodifiableMap(flat);
        }
        try {
            Map<String, String> map = MAP_READER.readValue(json);
            return map == null ? Map.of() : Collections.unmodifiableMap(map);
        } catch (JsonProcessingException e) {
            throw new StorageException(ErrorCode.InternalError, "corrupt JSON column: " + e.getMessage(), null, e);
        }
    }

    /** A bucket's CORS rules as a JSON array, in order. */
    static String corsToJson(java.util.List<CorsRule> rules) {
        try {
            return MAP_WRITER.writeValueAsString(rules);
        } catch (JsonProcessingException e) {
            throw new StorageException(ErrorCode.InternalError, "cannot encode CORS rules: " + e.getMessage(), null, e);
        }
    }

    /** The CORS rules stored by {@link #corsToJson}; unmodifiable. */
    static java.util.List<CorsRule> corsFromJson(String json) {
        try {
            java.util.List<CorsRule> rules = CORS_READER.readValue(json);
            return java.util.List.copyOf(rules);
        } catch (JsonProcessingException e) {
            throw new StorageException(ErrorCode.InternalError, "corrupt CORS rules column: " + e.getMessage(), null, e);
        }
    }

    /** Binds {@code value}, SQL NULL when null. */
    static void setNullableString(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }
}
