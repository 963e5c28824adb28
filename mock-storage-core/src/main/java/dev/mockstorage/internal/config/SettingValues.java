package dev.mockstorage.internal.config;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The value of every setting with where it came from: the defaults first, then each layer (config
 * file, environment, command line) overwrites the settings it gives.
 */
final class SettingValues {

    private final Map<Setting<?>, Value<?>> values = new IdentityHashMap<>();

    /** Every setting at its default. */
    SettingValues() {
        for (Setting<?> s : Setting.values()) {
            putDefault(s);
        }
    }

    private <T> void putDefault(Setting<T> s) {
        put(s, new Value<>(s.defaultValue(), s.defaultText(), Setting.DEFAULT, s.dottedName()));
    }

    <T> void put(Setting<T> setting, Value<T> value) {
        values.put(setting, value);
    }

    /** The value with its origin and field, for messages. */
    @SuppressWarnings("unchecked") // put keeps each setting's values of its type
    <T> Value<T> value(Setting<T> setting) {
        return (Value<T>) values.get(setting);
    }

    /** The value; null for a setting that is unset. */
    <T> T get(Setting<T> setting) {
        return value(setting).value();
    }

    /** Runs every setting's checks on its value, in the order of the settings. */
    void verify() {
        for (Setting<?> s : Setting.values()) {
            verify(s);
        }
    }

    private <T> void verify(Setting<T> setting) {
        setting.verify(value(setting));
    }
}
