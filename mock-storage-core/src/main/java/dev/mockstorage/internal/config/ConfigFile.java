package dev.mockstorage.internal.config;

import java.util.List;

/**
 * The shape of {@code config.json} as Jackson binds it (snake_case field names). Every field is
 * optional: a missing field is {@code null} here and takes its default in {@link ConfigLoader};
 * an explicit JSON {@code null} is refused while binding.
 */
record ConfigFile(Server server, Storage storage, Database database, Queue queue,
                  Journal journal, Metrics metrics, Log log) {

    record Server(String host, Integer port) {
    }

    record Storage(String dataDir, List<Node> nodes, Boolean autoCreateBuckets, Boolean fsync) {
    }

    record Node(String id, String path) {
    }

    record Database(String driver, String dsn) {
    }

    record Queue(Integer size, Integer workers) {
    }

    record Journal(Integer size) {
    }

    record Metrics(Boolean enabled) {
    }

    record Log(String access) {
    }
}
