package dev.mockstorage.internal.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * Builds a {@link Config} from, in increasing priority: defaults, a {@code config.json} file, and
 * settings given as {@code dotted.name -> text} (from environment variables, the command line or the
 * Java builder). Unknown fields, wrong types and impossible values fail with a {@link ConfigException}
 * naming the field.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    /**
     * @param file     a config.json, or null for none
     * @param settings overrides by dotted name ({@code server.port}, {@code storage.nodes}, ...)
     */
    public static Config load(Path file, Map<String, String> settings) {
        throw new UnsupportedOperationException("TODO");
    }

    /** The settings found in environment variables ({@code MOCK_STORAGE_SERVER_PORT} -> {@code server.port}). */
    public static Map<String, String> fromEnvironment(Map<String, String> environment) {
        throw new UnsupportedOperationException("TODO");
    }
}
