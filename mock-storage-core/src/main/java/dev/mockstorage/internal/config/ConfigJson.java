package dev.mockstorage.internal.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a {@code config.json} into setting values: an object of sections, each an object whose
 * fields are the settings named {@code section.field}, each read by its setting's {@link Type}.
 * Strict: no unknown field, no {@code null}, no duplicate key, nothing after the top-level object.
 */
final class ConfigJson {

    /** In a holder, so Jackson is only set up when there is a config.json to read (start-up time). */
    private static final class Json {
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    private ConfigJson() {}

    /** Puts every setting {@code file} gives into {@code values}, with the file as its origin. */
    static void read(Path file, SettingValues values) {
        String where = file.toString();
        byte[] bytes = bytes(file, where);
        JsonField root = JsonField.root(where, tree(bytes, where), pointer -> locate(bytes, pointer));
        Map<String, Map<String, Setting<?>>> sections = sections();
        root.fields(sections.keySet()).forEach((sectionName, section) -> {
            Map<String, Setting<?>> settings = sections.get(sectionName);
            section.fields(settings.keySet()).forEach((name, field) -> read(settings.get(name), field, values));
        });
    }

    private static <T> void read(Setting<T> setting, JsonField field, SettingValues values) {
        values.put(setting, field.value(setting.type().read(field)));
    }

    /** Section name -> field name -> setting, from the dotted names. */
    private static Map<String, Map<String, Setting<?>>> sections() {
        Map<String, Map<String, Setting<?>>> sections = new LinkedHashMap<>();
        for (Setting<?> s : Setting.values()) {
            String name = s.dottedName();
            int dot = name.indexOf('.');
            sections.computeIfAbsent(name.substring(0, dot), k -> new LinkedHashMap<>())
                    .put(name.substring(dot + 1), s);
        }
        return sections;
    }

    private static byte[] bytes(Path file, String where) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(where + ": no such file");
        } catch (AccessDeniedException e) {
            throw new ConfigException(where + ": not readable (permission denied)");
        } catch (IOException e) {
            throw new ConfigException(where + ": cannot read: " + e, e);
        }
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            throw new ConfigException(where + ": the file is empty; write {} for all defaults");
        }
        return bytes;
    }

    private static JsonNode tree(byte[] bytes, String where) {
        try {
            rejectNulls(bytes, where);
            return Json.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new ConfigException(where + ": " + describe(e), e);
        } catch (IOException e) {
            throw new ConfigException(where + ": cannot read: " + e, e);
        }
    }

    /**
     * A JSON {@code null} is refused rather than read as "default": "port": null is more likely a
     * mistake than a wish for 8080.
     */
    private static void rejectNulls(byte[] json, String where) throws IOException {
        try (JsonParser p = Json.MAPPER.createParser(json)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.VALUE_NULL) {
                    String path =
                            pointerToPath(p.getParsingContext().pathAsPointer().toString());
                    throw new ConfigException(where + ": " + (path.isEmpty() ? "top level" : path)
                            + ": must not be null; leave the field out for its default" + at(p.currentLocation()));
                }
            }
        }
    }

    /** {@code " (line L, column C)"} of the value at {@code pointer}, or nothing when it cannot be found. */
    private static String locate(byte[] json, String pointer) {
        try (JsonParser p = Json.MAPPER.createParser(json)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME || t.isStructEnd()) {
                    continue;
                }
                JsonStreamContext context =
                        t.isStructStart() ? p.getParsingContext().getParent() : p.getParsingContext();
                if (context.pathAsPointer().toString().equals(pointer)) {
                    return at(p.currentTokenLocation());
                }
            }
        } catch (IOException e) {
            // the document was read once already; without a location the message still names the field
        }
        return "";
    }

    private static String at(JsonLocation location) {
        return location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /** Turns a Jackson exception into {@code malformed JSON...: problem (line L, column C)}. */
    private static String describe(JsonProcessingException e) {
        String at = at(e.getLocation());
        if (e instanceof JsonMappingException m && m.getOriginalMessage().startsWith("Trailing token")) {
            return "malformed JSON: more content after the end of the top-level object" + at;
        }
        String msg = e.getOriginalMessage();
        if (e instanceof StreamReadException sre && sre.getProcessor() != null) {
            String path = pointerToPath(
                    sre.getProcessor().getParsingContext().pathAsPointer().toString());
            if (!path.isEmpty()) {
                return "malformed JSON near " + path + ": " + msg + at;
            }
        }
        return "malformed JSON: " + msg + at;
    }

    private static String pointerToPath(String pointer) {
        StringBuilder sb = new StringBuilder();
        for (String seg : pointer.split("/")) {
            if (seg.isEmpty()) {
                continue;
            }
            if (seg.chars().allMatch(Character::isDigit)) {
                sb.append('[').append(seg).append(']');
            } else {
                sb.append(sb.length() == 0 ? "" : ".")
                        .append(seg.replace("~1", "/").replace("~0", "~"));
            }
        }
        return sb.toString();
    }
}
