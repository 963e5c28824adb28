package dev.mockstorage.internal.config;

import java.util.function.Function;

/**
 * How a setting is written: as text (an environment variable, a command-line option, a builder
 * setting) and as a value in {@code config.json}. Reading checks the form only ("is not a whole
 * number"); what a setting allows is checked by its {@link Setting} on the value that wins.
 */
interface Type<T> {

    /** @throws ConfigException naming the origin and field of {@code text} */
    T parse(Value<String> text);

    /** @throws ConfigException naming the file and field, with line and column */
    T read(JsonField json);

    static <T> Type<T> of(Function<Value<String>, T> parse, Function<JsonField, T> read) {
        return new Type<>() {
            @Override
            public T parse(Value<String> text) {
                return parse.apply(text);
            }

            @Override
            public T read(JsonField json) {
                return read.apply(json);
            }
        };
    }
}
