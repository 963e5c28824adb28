package dev.mockstorage.internal.config;

/**
 * A setting's value and where it came from, for messages: {@code text} is the value as written,
 * {@code origin} the file, variable or option that gave it ({@code default} for a default), {@code field}
 * the dotted name, with the index or key inside a structured setting ({@code storage.nodes[1].path}).
 */
record Value<T>(T value, String text, String origin, String field) {

    /** A value whose text is the value itself. */
    static <T> Value<T> of(T value, String origin, String field) {
        return new Value<>(value, String.valueOf(value), origin, field);
    }

    /** {@code <origin>: <field>: <problem>}. */
    ConfigException fail(String problem) {
        return new ConfigException(origin + ": " + field + ": " + problem);
    }
}
