package dev.mockstorage.internal.metadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the tables store values SQL has no type for: maps as JSON objects via {@link FlatJson} (Jackson
 * for anything else), CORS rules, ACL grants and bucket settings as JSON (Jackson), and null text as SQL NULL.
 */
final class Columns {
    private Columns() {}

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectReader MAP_READER =
            MAPPER.readerFor(new TypeReference<LinkedHashMap<String, String>>() {});
    private static final ObjectWriter MAP_WRITER = MAPPER.writer();
    private static final ObjectReader CORS_READER = MAPPER.readerFor(new TypeReference<List<CorsRule>>() {});
    private static final TypeReference<List<Grant>> GRANTS = new TypeReference<>() {};
    private static final ObjectReader LIFECYCLE_READER = MAPPER.readerFor(new TypeReference<List<LifecycleRule>>() {});

    /** Binds {@code value}, SQL NULL when null. */
    static void setNullableString(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
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
            throw new StorageException(
                    ErrorCode.InternalError, "cannot encode metadata map: " + e.getMessage(), null, e);
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
    static String corsToJson(List<CorsRule> rules) {
        return settingToJson("CORS rules", rules);
    }

    /** An ACL's grants as a JSON array, in order; null (SQL NULL) for none set: the owner's FULL_CONTROL. */
    static String grantsToJson(List<Grant> grants) {
        return grants == null ? null : settingToJson("ACL", grants);
    }

    /** The grants stored by {@link #grantsToJson}, unmodifiable; null for SQL NULL. */
    static List<Grant> grantsFromJson(String json) {
        return json == null ? null : List.copyOf(settingFromJson("ACL", json, GRANTS));
    }

    /** A value as JSON ({@code what} names it in errors). */
    static String settingToJson(String what, Object value) {
        try {
            return MAP_WRITER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new StorageException(
                    ErrorCode.InternalError, "cannot encode " + what + ": " + e.getMessage(), null, e);
        }
    }

    /** A value written by {@link #settingToJson}. */
    static <T> T settingFromJson(String what, String json, TypeReference<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new StorageException(
                    ErrorCode.InternalError, "corrupt " + what + " setting: " + e.getMessage(), null, e);
        }
    }

    /** The CORS rules stored by {@link #corsToJson}; unmodifiable. */
    static List<CorsRule> corsFromJson(String json) {
        try {
            List<CorsRule> rules = CORS_READER.readValue(json);
            return List.copyOf(rules);
        } catch (JsonProcessingException e) {
            throw new StorageException(
                    ErrorCode.InternalError, "corrupt CORS rules column: " + e.getMessage(), null, e);
        }
    }

    /** A bucket's lifecycle rules as a JSON array, in order. */
    static String lifecycleToJson(List<LifecycleRule> rules) {
        try {
            return MAP_WRITER.writeValueAsString(rules);
        } catch (JsonProcessingException e) {
            throw new StorageException(
                    ErrorCode.InternalError, "cannot encode lifecycle rules: " + e.getMessage(), null, e);
        }
    }

    /** The lifecycle rules stored by {@link #lifecycleToJson}; unmodifiable. */
    static List<LifecycleRule> lifecycleFromJson(String json) {
        try {
            List<LifecycleRule> rules = LIFECYCLE_READER.readValue(json);
            return List.copyOf(rules);
        } catch (JsonProcessingException e) {
            throw new StorageException(
                    ErrorCode.InternalError, "corrupt lifecycle rules column: " + e.getMessage(), null, e);
        }
    }
}
