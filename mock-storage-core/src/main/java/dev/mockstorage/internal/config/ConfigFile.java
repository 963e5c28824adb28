package dev.mockstorage.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The shape of {@code config.json} as Jackson binds it (snake_case field names). Every field is
 * optional: a missing field is {@code null} here and takes its default in {@link ConfigLoader};
 * an explicit JSON {@code null} is refused while binding.
 */
record ConfigFile(Server server, Storage storage, Database database, Queue queue, ThirdParty thirdParty,
                  Journal journal, Metrics metrics, Log log, Auth auth) {

    /** {@code domain}: one domain or several, comma separated. */
    record Server(String host, Integer port, String domain, Integer maxConnections, Integer headTimeoutMs) {
    }

    record Storage(String dataDir, List<Node> nodes, Boolean autoCreateBuckets, Boolean fsync, List<String> buckets,
                   Integer writeQuorum, Integer checkIntervalMs, Integer orphanGraceMs, Integer abandonedUploadMs) {
    }

    record Node(String id, String path) {
    }

    record Database(String driver, String dsn) {
    }

    record Queue(Integer size, Integer workers, Integer fullWaitMs) {
    }

    /** {@code buckets} entries are names or {@code {"name", "url"}} objects, checked in {@link ConfigLoader}. */
    record ThirdParty(Boolean enabled, String url, List<JsonNode> buckets, Map<String, String> headers,
                      Integer timeoutMs, Integer retries, String scripts) {
    }

    record Journal(Integer size) {
    }

    record Metrics(Boolean enabled) {
    }

    record Log(String access) {
    }

    /** {@code mode} is {@code open} or {@code strict}. */
    record Auth(String mode, String accessKey, String secretKey) {
    }
}
