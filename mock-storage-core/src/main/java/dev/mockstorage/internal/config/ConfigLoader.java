package dev.mockstorage.internal.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds a {@link Config} from layers, each overwriting the settings it gives: the defaults, a
 * {@code config.json} file, and settings given as {@code dotted.name -> text} (from environment
 * variables, the command line or the Java builder). Each value is read by its {@link Setting}'s type,
 * the winning values are checked by their settings, then {@link ConfigResolver} applies the rules that
 * span settings. Unknown fields, wrong types and impossible values fail with a {@link ConfigException}
 * naming the field.
 *
 * <p>Messages read {@code <where>: <field>: <what is wrong>}, where {@code <where>} is the config file
 * as given or the origin of a setting, e.g.
 * {@code config.json: storage.nodes[1].path: "./data/stg1" is already used by node stg1}.
 * Relative paths resolve against the process working directory; the {@link Config} holds absolute,
 * normalised paths. Nothing here touches the file system except reading the config file.
 */
public final class ConfigLoader {

    /** Environment variable naming a config.json to read (the command line's {@code --config} wins). */
    public static final String CONFIG_FILE_ENV = Setting.ENV_PREFIX + "CONFIG";
    /**
     * {@code MOCK_STORAGE_*} variables that other parts of mock-storage read, not the server: the container
     * module's base image and the launcher's jar. A shell that exports them for those still starts the jar.
     */
    static final Set<String> OTHER_PARTS_ENV = Set.of(Setting.ENV_PREFIX + "BASE_IMAGE", Setting.ENV_PREFIX + "JAR");

    private static final String DEFAULT_ORIGIN = "setting";

    private ConfigLoader() {}

    /**
     * @param file     a config.json, or null for none
     * @param settings overrides by dotted name ({@code server.port}, {@code storage.nodes}, ...)
     * @throws ConfigException naming the field at fault
     */
    public static Config load(Path file, Map<String, String> settings) {
        return load(file, settings, Map.of());
    }

    /**
     * Like {@link #load(Path, Map)}, with the origin of each setting for error messages.
     *
     * @param origins dotted name -> where the value came from, e.g. {@code "environment variable
     *                MOCK_STORAGE_SERVER_PORT"}; names not in it are reported as {@code "setting"}
     */
    public static Config load(Path file, Map<String, String> settings, Map<String, String> origins) {
        return load(file, settings, origins, Path.of("").toAbsolutePath());
    }

    /**
     * Like {@link #load(Path, Map)} for a server started in-process ({@code MockStorageServer.builder()}),
     * whose one different default is {@code console.enabled = false}: the file or a setting may still turn
     * the console on. (The standalone jar resolves its settings with {@link #load(Path, Map, Map)} and hands
     * the result to the builder as settings.)
     */
    public static Config loadInProcess(Path file, Map<String, String> settings) {
        SettingValues values = new SettingValues();
        values.put(Setting.CONSOLE_ENABLED, Value.of(false, Setting.DEFAULT, Setting.CONSOLE_ENABLED.dottedName()));
        return load(values, file, settings, Map.of(), Path.of("").toAbsolutePath());
    }

    /** The loader with an explicit base for relative paths (tests). */
    static Config load(Path file, Map<String, String> settings, Map<String, String> origins, Path workingDir) {
        return load(new SettingValues(), file, settings, origins, workingDir);
    }

    private static Config load(
            SettingValues values,
            Path file,
            Map<String, String> settings,
            Map<String, String> origins,
            Path workingDir) {
        if (file != null) {
            ConfigJson.read(file, values);
        }
        settings.forEach((name, text) -> put(values, name, text, origins.getOrDefault(name, DEFAULT_ORIGIN)));
        values.verify();
        return ConfigResolver.resolve(values, workingDir.toAbsolutePath().normalize());
    }

    private static void put(SettingValues values, String name, String text, String origin) {
        Setting<?> setting = Setting.byName(name)
                .orElseThrow(() -> new ConfigException(
                        origin + ": " + name + ": unknown setting (known: " + Setting.knownNames() + ")"));
        Value<String> raw = new Value<>(text, text, origin, name);
        if (text == null) {
            throw raw.fail("no value given");
        }
        put(values, setting, raw);
    }

    private static <T> void put(SettingValues values, Setting<T> setting, Value<String> raw) {
        values.put(setting, new Value<>(setting.type().parse(raw), raw.text(), raw.origin(), raw.field()));
    }

    /**
     * The settings found in environment variables ({@code MOCK_STORAGE_SERVER_PORT} -> {@code server.port}).
     * A variable that starts with {@code MOCK_STORAGE_} but names no setting fails, so a typo is not
     * silently ignored; {@link #CONFIG_FILE_ENV} and {@link #OTHER_PARTS_ENV} are allowed and not returned.
     *
     * @throws ConfigException for an unknown {@code MOCK_STORAGE_*} variable
     */
    public static Map<String, String> fromEnvironment(Map<String, String> environment) {
        Map<String, String> result = new LinkedHashMap<>();
        Set<String> known = new TreeSet<>();
        known.add(CONFIG_FILE_ENV);
        known.addAll(OTHER_PARTS_ENV);
        for (Setting<?> s : Setting.values()) {
            String value = environment.get(s.envName());
            if (value != null) {
                result.put(s.dottedName(), value);
            }
            known.add(s.envName());
        }
        for (String name : new TreeSet<>(environment.keySet())) {
            if (name.startsWith(Setting.ENV_PREFIX) && !known.contains(name)) {
                throw new ConfigException("environment: " + name + ": unknown variable (known: " + CONFIG_FILE_ENV
                        + ", " + knownEnvNames() + ")");
            }
        }
        return result;
    }

    /** For each setting from {@link #fromEnvironment}, its origin for {@link #load(Path, Map, Map)}. */
    public static Map<String, String> environmentOrigins(Map<String, String> settingsFromEnvironment) {
        Map<String, String> origins = new LinkedHashMap<>();
        for (String name : settingsFromEnvironment.keySet()) {
            Setting.byName(name).ifPresent(s -> origins.put(name, "environment variable " + s.envName()));
        }
        return origins;
    }

    private static String knownEnvNames() {
        StringBuilder sb = new StringBuilder();
        for (Setting<?> s : Setting.values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(s.envName());
        }
        return sb.toString();
    }
}
