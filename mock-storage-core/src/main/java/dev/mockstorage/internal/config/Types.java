package dev.mockstorage.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/** The plain types of settings, and the check every path setting shares. */
final class Types {

    /** A whole number; in config.json a number or a string that holds one ({@code "port": "8080"}). */
    static final Type<Integer> INT = Type.of(Types::integer, Types::integer);

    /** {@code true}/{@code yes}/{@code on}/{@code 1} or {@code false}/{@code no}/{@code off}/{@code 0}; in config.json a boolean. */
    static final Type<Boolean> BOOL = Type.of(Types::bool, json -> {
        if (!json.node().isBoolean()) {
            throw json.expected("true or false");
        }
        return json.node().booleanValue();
    });

    /** Text as written; in config.json a string. */
    static final Type<String> STRING = Type.of(Value::value, JsonField::string);

    /** Text without surrounding blanks (messages show it as written). */
    static final Type<String> TRIMMED =
            Type.of(text -> text.value().trim(), json -> json.string().trim());

    /** Names, comma separated; in config.json an array of strings. Trimmed, blanks and repeats dropped. */
    static final Type<List<String>> NAMES = Type.of(
            text -> names(List.of(text.value().split(",", -1))),
            json -> names(json.elements().stream().map(JsonField::string).toList()));

    /** A SQLite file: a path, or a {@code file:} URI's path (the prefix dropped; messages show it as written). */
    static final Type<String> SQLITE_FILE =
            Type.of(text -> withoutFileScheme(text.value()), json -> withoutFileScheme(json.string()));

    /** Domain names, comma separated, also in config.json: lower case, without a leading dot, repeats dropped. */
    static final Type<List<String>> DOMAINS = Type.of(Types::domains, json -> domains(json.value(json.string())));

    private Types() {}

    /** A path as written: not empty, and one the file system can name. */
    static void checkPath(Value<String> path) {
        if (path.value().isBlank()) {
            throw path.fail("must not be empty");
        }
        try {
            Path.of(path.value());
        } catch (InvalidPathException e) {
            throw path.fail("\"" + path.text() + "\" is not a valid path: " + e.getReason());
        }
    }

    /**
     * Text {@code key=value,key,...}: {@code entry(key, value)} for each entry, trimmed, the value null
     * without {@code =}; their fields are {@code <setting>[i].<keyName>} and {@code <setting>[i].<valueName>}.
     */
    static <T> List<T> entries(
            Value<String> text, String keyName, String valueName, BiFunction<Value<String>, Value<String>, T> entry) {
        List<T> list = new ArrayList<>();
        String[] entries = text.value().trim().split(",", -1);
        for (int i = 0; i < entries.length; i++) {
            String written = entries[i].trim();
            String field = text.field() + "[" + i + "].";
            int eq = written.indexOf('=');
            Value<String> key =
                    Value.of(eq < 0 ? written : written.substring(0, eq).trim(), text.origin(), field + keyName);
            Value<String> value =
                    eq < 0 ? null : Value.of(written.substring(eq + 1).trim(), text.origin(), field + valueName);
            list.add(entry.apply(key, value));
        }
        return List.copyOf(list);
    }

    static Integer integer(Value<String> text) {
        try {
            return Integer.parseInt(text.value().trim());
        } catch (NumberFormatException e) {
            throw text.fail("\"" + text.text() + "\" is not a whole number");
        }
    }

    private static Integer integer(JsonField json) {
        JsonNode node = json.node();
        if (node.isIntegralNumber()) {
            if (!node.canConvertToInt()) {
                throw json.failHere("number out of range");
            }
            return node.intValue();
        }
        if (node.isTextual()) {
            try {
                return Integer.parseInt(node.asText().trim());
            } catch (NumberFormatException e) {
                // not a number in a string: reported as the wrong type below
            }
        }
        throw json.expected("a whole number");
    }

    private static Boolean bool(Value<String> text) {
        return switch (text.value().trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> Boolean.TRUE;
            case "false", "no", "off", "0" -> Boolean.FALSE;
            default -> throw text.fail("\"" + text.text() + "\" is not a boolean (use true or false)");
        };
    }

    private static String withoutFileScheme(String dsn) {
        return dsn.startsWith("file:") ? dsn.substring("file:".length()) : dsn;
    }

    private static List<String> names(List<String> names) {
        List<String> list = new ArrayList<>();
        for (String n : names) {
            String name = n.trim();
            if (!name.isEmpty() && !list.contains(name)) {
                list.add(name);
            }
        }
        return List.copyOf(list);
    }

    private static List<String> domains(Value<String> text) {
        List<String> domains = new ArrayList<>();
        for (String d : text.value().split(",")) {
            String name = d.trim().toLowerCase(Locale.ROOT);
            if (name.startsWith(".")) {
                name = name.substring(1);
            }
            if (!name.isEmpty() && !name.matches("[a-z0-9.-]+")) {
                throw text.fail("\"" + d.trim() + "\" is not a domain name");
            }
            if (!name.isEmpty() && !domains.contains(name)) {
                domains.add(name);
            }
        }
        return List.copyOf(domains);
    }
}
