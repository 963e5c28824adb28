package dev.mockstorage.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * A value in {@code config.json} and its place: the file as given ({@code where}), the dotted field
 * ({@code storage.nodes[0].id}) and the JSON pointer from which {@code locator} finds the line and
 * column. Reading a value of the wrong shape fails naming the field and what was found there.
 */
record JsonField(String where, String field, String pointer, JsonNode node, UnaryOperator<String> locator) {

    /** The whole document. */
    static JsonField root(String where, JsonNode node, UnaryOperator<String> locator) {
        return new JsonField(where, "", "", node, locator);
    }

    /** The member {@code name} of this object; its node is null when the object has none. */
    JsonField get(String name) {
        return new JsonField(
                where,
                field.isEmpty() ? name : field + "." + name,
                pointer + "/" + name.replace("~", "~0").replace("/", "~1"),
                node.get(name),
                locator);
    }

    /** The members of this object in the order written. */
    Map<String, JsonField> members() {
        if (!node.isObject()) {
            throw expected("an object");
        }
        Map<String, JsonField> members = new LinkedHashMap<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            members.put(name, get(name));
        }
        return members;
    }

    /** {@link #members()}, where a name not in {@code known} fails, listing them. */
    Map<String, JsonField> fields(Collection<String> known) {
        Map<String, JsonField> members = members();
        members.forEach((name, member) -> {
            if (!known.contains(name)) {
                throw member.failHere("unknown field (known here: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        });
        return members;
    }

    /** The elements of this array. */
    List<JsonField> elements() {
        if (!node.isArray()) {
            throw expected("an array");
        }
        List<JsonField> elements = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            elements.add(new JsonField(where, field + "[" + i + "]", pointer + "/" + i, node.get(i), locator));
        }
        return elements;
    }

    /** This string. */
    String string() {
        if (!node.isTextual()) {
            throw expected("a string");
        }
        return node.asText();
    }

    /** {@code value}, read from here: its text is the string as written, else the value. */
    <T> Value<T> value(T value) {
        return new Value<>(
                value, node != null && node.isTextual() ? node.asText() : String.valueOf(value), where, field);
    }

    /** {@code <file>: <field>: <problem>}. */
    ConfigException fail(String problem) {
        return new ConfigException(where + ": " + (field.isEmpty() ? "top level" : field) + ": " + problem);
    }

    /** {@link #fail} with the line and column of this value. */
    ConfigException failHere(String problem) {
        return fail(problem + locator.apply(pointer));
    }

    /** {@code expected <what>, got <what is here>}, with the line and column. */
    ConfigException expected(String what) {
        return failHere("expected " + what + ", got " + describe(node));
    }

    /** What a JSON value is, for messages: {@code string "x"}, {@code number 5}, {@code an object}, ... */
    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isTextual()) {
            return "string " + node;
        }
        if (node.isNumber()) {
            return "number " + node.asText();
        }
        return node.asText();
    }
}
