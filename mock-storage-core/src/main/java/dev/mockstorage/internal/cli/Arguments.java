package dev.mockstorage.internal.cli;

import dev.mockstorage.internal.config.Setting;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parsed command line: what to do, an optional config file and settings by dotted name (with the
 * option that gave each, for error messages). Later options win over earlier ones.
 *
 * <pre>
 * [serve|healthcheck] [--config FILE | --config=FILE] [--set NAME=VALUE]... [--NAME=VALUE]...
 * --help | -h | help
 * </pre>
 */
record Arguments(Command command, Path configFile, Map<String, String> settings, Map<String, String> origins) {

    /** What the invocation asks for. */
    enum Command {
        SERVE,
        HEALTHCHECK,
        WARMUP,
        HELP
    }

    Arguments {
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        origins = Collections.unmodifiableMap(new LinkedHashMap<>(origins));
    }

    /** @throws UsageException naming the argument that cannot be understood */
    static Arguments parse(String... args) {
        Command command = null;
        Path configFile = null;
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h") || arg.equals("help")) {
                return new Arguments(Command.HELP, null, Map.of(), Map.of());
            } else if (arg.equals("serve") || arg.equals("healthcheck") || arg.equals("warmup")) {
                if (command != null) {
                    throw new UsageException("\"" + arg + "\": only one command may be given");
                }
                command = arg.equals("serve")
                        ? Command.SERVE
                        : arg.equals("warmup") ? Command.WARMUP : Command.HEALTHCHECK;
            } else if (arg.equals("--config") || arg.startsWith("--config=")) {
                String file =
                        arg.equals("--config") ? next(args, ++i, "--config FILE") : arg.substring("--config=".length());
                if (file.isEmpty()) {
                    throw new UsageException("--config needs a file name");
                }
                configFile = Path.of(file);
            } else if (arg.equals("--set") || arg.startsWith("--set=")) {
                String pair =
                        arg.equals("--set") ? next(args, ++i, "--set NAME=VALUE") : arg.substring("--set=".length());
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new UsageException("--set " + pair + ": expected NAME=VALUE, e.g. --set server.port=9000");
                }
                put(settings, origins, pair.substring(0, eq), pair.substring(eq + 1), "command line --set");
            } else if (arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
                if (Setting.byName(name).isEmpty()) {
                    throw new UsageException("unknown option " + arg + "; settings are --NAME=VALUE with NAME one of: "
                            + Setting.knownNames());
                }
                if (eq < 0) {
                    throw new UsageException(arg + " needs a value: " + arg + "=VALUE");
                }
                put(settings, origins, name, arg.substring(eq + 1), "command line");
            } else {
                throw new UsageException("unexpected argument \"" + arg + "\"; commands are serve and healthcheck");
            }
        }
        return new Arguments(command == null ? Command.SERVE : command, configFile, settings, origins);
    }

    private static String next(String[] args, int i, String form) {
        if (i >= args.length) {
            throw new UsageException(form.substring(0, form.indexOf(' ')) + " needs a value: " + form);
        }
        return args[i];
    }

    private static void put(
            Map<String, String> settings, Map<String, String> origins, String name, String value, String how) {
        if (Setting.byName(name).isEmpty()) {
            throw new UsageException(
                    how + " " + name + "=" + value + ": unknown setting; known: " + Setting.knownNames());
        }
        settings.remove(name); // keep the order of the last occurrence
        settings.put(name, value);
        origins.put(name, how.equals("command line") ? "command line --" + name : how + " " + name);
    }
}
