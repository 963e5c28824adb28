package dev.mockstorage.internal.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Builds a {@link Config} from, in increasing priority: defaults, a {@code config.json} file, and
 * settings given as {@code dotted.name -> text} (from environment variables, the command line or the
 * Java builder). Unknown fields, wrong types and impossible values fail with a {@link ConfigException}
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

    /** What a node id may contain. */
    static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_-]+");

    private static final int DEFAULT_NODE_COUNT = 3;
    private static final String DEFAULT_ORIGIN = "setting";

    /**
     * Strict binding: no unknown fields, no nulls, no type coercion, no duplicate keys, no trailing data.
     * In a holder, so Jackson is only set up when there is a config.json to read (start-up time).
     */
    private static final class Json {
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .withCoercionConfigDefaults(c -> c
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyArray, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyObject, CoercionAction.Fail))
                .build();
    }

    private ConfigLoader() {
    }

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

    /** The loader with an explicit base for relative paths (tests). */
    static Config load(Path file, Map<String, String> settings, Map<String, String> origins, Path workingDir) {
        Draft draft = new Draft();
        if (file != null) {
            draft.apply(readFile(file), file.toString());
        }
        settings.forEach((name, value) -> draft.apply(name, value, origins.getOrDefault(name, DEFAULT_ORIGIN)));
        return draft.resolve(workingDir.toAbsolutePath().normalize());
    }

    /**
     * The settings found in environment variables ({@code MOCK_STORAGE_SERVER_PORT} -> {@code server.port}).
     * A variable that starts with {@code MOCK_STORAGE_} but names no setting fails, so a typo is not
     * silently ignored; {@link #CONFIG_FILE_ENV} is allowed and not returned.
     *
     * @throws ConfigException for an unknown {@code MOCK_STORAGE_*} variable
     */
    public static Map<String, String> fromEnvironment(Map<String, String> environment) {
        Map<String, String> result = new LinkedHashMap<>();
        for (Setting s : Setting.values()) {
            String value = environment.get(s.envName());
            if (value != null) {
                result.put(s.dottedName(), value);
            }
        }
        Set<String> known = new TreeSet<>();
        known.add(CONFIG_FILE_ENV);
        for (Setting s : Setting.values()) {
            known.add(s.envName());
        }
        for (String name : new TreeSet<>(environment.keySet())) {
            if (name.startsWith(Setting.ENV_PREFIX) && !known.contains(name)) {
                throw new ConfigException("environment: " + name + ": unknown variable (known: "
                        + CONFIG_FILE_ENV + ", " + knownEnvNames() + ")");
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
        for (Setting s : Setting.values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(s.envName());
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- reading config.json

    private static ConfigFile readFile(Path file) {
        String where = file.toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(where + ": no such file");
        } catch (AccessDeniedException e) {
            throw new ConfigException(where + ": not readable (permission denied)");
        } catch (IOException e) {
            throw new ConfigException(where + ": cannot read: " + e, e);
        }
        if (new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            throw new ConfigException(where + ": the file is empty; write {} for all defaults");
        }
        JsonNode tree;
        try {
            rejectNulls(bytes, where);
            tree = Json.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new ConfigException(where + ": " + describe(e, null), e);
        } catch (IOException e) {
            throw new ConfigException(where + ": cannot read: " + e, e);
        }
        try {
            return Json.MAPPER.readValue(bytes, ConfigFile.class);
        } catch (JsonProcessingException e) {
            throw new ConfigException(where + ": " + describe(e, tree), e);
        } catch (IOException e) {
            throw new ConfigException(where + ": cannot read: " + e, e);
        }
    }

    /**
     * A JSON {@code null} is refused rather than read as "default": binding cannot tell it from an
     * absent field, and "port": null is more likely a mistake than a wish for 8080.
     */
    private static void rejectNulls(byte[] json, String where) throws IOException {
        try (JsonParser p = Json.MAPPER.createParser(json)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.VALUE_NULL) {
                    String path = pointerToPath(p.getParsingContext().pathAsPointer().toString());
                    throw new ConfigException(where + ": " + (path.isEmpty() ? "top level" : path)
                            + ": must not be null; leave the field out for its default" + at(p.currentLocation()));
                }
            }
        }
    }

    private static String at(com.fasterxml.jackson.core.JsonLocation location) {
        return location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /** Turns a Jackson exception into {@code field: problem (line L, column C)}. */
    private static String describe(JsonProcessingException e, JsonNode tree) {
        String at = at(e.getLocation());
        if (e instanceof JsonMappingException m) {
            String path = path(m);
            String field = path.isEmpty() ? "top level" : path;
            Throwable cause = m.getCause();
            if (m instanceof UnrecognizedPropertyException u) {
                Set<String> known = new TreeSet<>();
                u.getKnownPropertyIds().forEach(k -> known.add(String.valueOf(k)));
                return field + ": unknown field (known here: " + String.join(", ", known) + ")" + at;
            }
            if (cause instanceof InputCoercionException) {
                return field + ": number out of range" + at;
            }
            if (tree == null && m.getOriginalMessage().startsWith("Trailing token")) {
                return "malformed JSON: more content after the end of the top-level object" + at;
            }
            if (m instanceof MismatchedInputException mi && tree != null) {
                return field + ": expected " + expected(mi.getTargetType()) + ", got " + found(tree, m.getPath()) + at;
            }
            if (cause instanceof StreamReadException sre) {
                return field + ": malformed JSON: " + sre.getOriginalMessage() + at;
            }
            return field + ": " + m.getOriginalMessage() + at;
        }
        String msg = e.getOriginalMessage();
        if (e instanceof StreamReadException sre && sre.getProcessor() != null) {
            JsonParser p = sre.getProcessor();
            String path = pointerToPath(p.getParsingContext().pathAsPointer().toString());
            if (!path.isEmpty()) {
                return "malformed JSON near " + path + ": " + msg + at;
            }
        }
        return "malformed JSON: " + msg + at;
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String pointerToPath(String pointer) {
        StringBuilder sb = new StringBuilder();
        for (String seg : pointer.split("/")) {
            if (seg.isEmpty()) {
                continue;
            }
            if (seg.chars().allMatch(Character::isDigit)) {
                sb.append('[').append(seg).append(']');
            } else {
                sb.append(sb.length() == 0 ? "" : ".").append(seg.replace("~1", "/").replace("~0", "~"));
            }
        }
        return sb.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == Integer.class || type == int.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    /** Describes the value at {@code path} in the already parsed document. */
    private static String found(JsonNode tree, List<JsonMappingException.Reference> path) {
        JsonNode node = tree;
        for (JsonMappingException.Reference ref : path) {
            if (node == null) {
                break;
            }
            node = ref.getFieldName() != null ? node.get(ref.getFieldName()) : node.get(ref.getIndex());
        }
        if (node == null || node.isMissingNode()) {
            return "something else";
        }
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isTextual()) {
            return "string " + node.toString();
        }
        if (node.isNumber()) {
            return "number " + node.asText();
        }
        return node.asText();
    }

    // ---------------------------------------------------------------- merging and validation

    /** A value with where it came from, for messages. {@code text} is the value as written. */
    private record Src<T>(T value, String text, String origin, String field) {
        static <T> Src<T> of(T value, String origin, String field) {
            return new Src<>(value, String.valueOf(value), origin, field);
        }

        ConfigException fail(String problem) {
            return new ConfigException(origin + ": " + field + ": " + problem);
        }
    }

    /** One third-party bucket as configured; a null url means {@code third_party.url}. */
    private record BucketSpec(Src<String> name, Src<String> url) {
    }

    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Set<String> RESTRICTED_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade");

    /** One node as configured; a null path means {@code <data_dir>/<id>}. */
    private record NodeSpec(Src<String> id, Src<String> path) {
    }

    /** The settings so far; later sources overwrite earlier ones field by field. */
    private static final class Draft {
        Src<String> host = Src.of("127.0.0.1", "default", "server.host");
        Src<Integer> port = Src.of(8080, "default", "server.port");
        Src<String> domain = Src.of("localhost", "default", "server.domain");
        Src<Integer> maxConnections = Src.of(Config.Server.DEFAULT_MAX_CONNECTIONS, "default", "server.max_connections");
        Src<Integer> headTimeoutMs = Src.of(Config.Server.DEFAULT_HEAD_TIMEOUT_MS, "default", "server.head_timeout_ms");
        Src<String> dataDir = Src.of("./data", "default", "storage.data_dir");
        List<NodeSpec> nodes; // null: stg1..stg3 under data_dir
        String nodesOrigin;
        Src<Boolean> autoCreateBuckets = Src.of(false, "default", "storage.auto_create_buckets");
        Src<Boolean> fsync = Src.of(false, "default", "storage.fsync");
        List<String> buckets = List.of();
        Src<Integer> writeQuorum; // null: every node
        Src<Integer> checkIntervalMs = Src.of(0, "default", "storage.check_interval_ms");
        Src<Integer> orphanGraceMs = Src.of(60_000, "default", "storage.orphan_grace_ms");
        Src<Integer> abandonedUploadMs = Src.of(86_400_000, "default", "storage.abandoned_upload_ms");
        Src<String> driver = Src.of("sqlite3", "default", "database.driver");
        Src<String> dsn; // null: <data_dir>/metadata.db
        Src<Integer> queueSize = Src.of(1000, "default", "queue.size");
        Src<Integer> queueWorkers = Src.of(2, "default", "queue.workers");
        Src<Integer> queueFullWaitMs = Src.of(Config.Queue.DEFAULT_FULL_WAIT_MS, "default", "queue.full_wait_ms");
        Src<Boolean> tpEnabled = Src.of(true, "default", "third_party.enabled");
        Src<String> tpUrl; // null: the scripted upstream
        List<BucketSpec> tpBuckets; // null: every bucket
        Map<String, Src<String>> tpHeaders = new LinkedHashMap<>();
        Src<Integer> tpTimeout = Src.of(5000, "default", "third_party.timeout_ms");
        Src<Integer> tpRetries = Src.of(2, "default", "third_party.retries");
        Src<String> tpScripts; // null: none
        Src<Integer> journalSize = Src.of(1000, "default", "journal.size");
        Src<Boolean> metricsEnabled = Src.of(true, "default", "metrics.enabled");
        Src<String> accessLog = Src.of("off", "default", "log.access");
        Src<String> authMode = Src.of("open", "default", "auth.mode");
        Src<String> authAccessKey = Src.of(Config.Auth.DEFAULT_ACCESS_KEY, "default", "auth.access_key");
        Src<String> authSecretKey = Src.of(Config.Auth.DEFAULT_SECRET_KEY, "default", "auth.secret_key");

        void apply(ConfigFile f, String where) {
            if (f.server() != null) {
                host = f.server().host() == null ? host : Src.of(f.server().host(), where, "server.host");
                port = f.server().port() == null ? port : Src.of(f.server().port(), where, "server.port");
                domain = f.server().domain() == null ? domain : Src.of(f.server().domain(), where, "server.domain");
                maxConnections = f.server().maxConnections() == null ? maxConnections
                        : Src.of(f.server().maxConnections(), where, "server.max_connections");
                headTimeoutMs = f.server().headTimeoutMs() == null ? headTimeoutMs
                        : Src.of(f.server().headTimeoutMs(), where, "server.head_timeout_ms");
            }
            if (f.storage() != null) {
                ConfigFile.Storage s = f.storage();
                dataDir = s.dataDir() == null ? dataDir : Src.of(s.dataDir(), where, "storage.data_dir");
                if (s.nodes() != null) {
                    List<NodeSpec> list = new ArrayList<>();
                    for (int i = 0; i < s.nodes().size(); i++) {
                        ConfigFile.Node n = s.nodes().get(i);
                        String field = "storage.nodes[" + i + "]";
                        Src<String> id = Src.of(n.id() == null ? "stg" + (i + 1) : n.id(), where, field + ".id");
                        Src<String> path = n.path() == null ? null : Src.of(n.path(), where, field + ".path");
                        list.add(new NodeSpec(id, path));
                    }
                    nodes = list;
                    nodesOrigin = where;
                }
                autoCreateBuckets = s.autoCreateBuckets() == null ? autoCreateBuckets
                        : Src.of(s.autoCreateBuckets(), where, "storage.auto_create_buckets");
                fsync = s.fsync() == null ? fsync : Src.of(s.fsync(), where, "storage.fsync");
                if (s.buckets() != null) {
                    buckets = bucketList(s.buckets());
                }
                writeQuorum = s.writeQuorum() == null ? writeQuorum : Src.of(s.writeQuorum(), where, "storage.write_quorum");
                checkIntervalMs = s.checkIntervalMs() == null ? checkIntervalMs
                        : Src.of(s.checkIntervalMs(), where, "storage.check_interval_ms");
                orphanGraceMs = s.orphanGraceMs() == null ? orphanGraceMs
                        : Src.of(s.orphanGraceMs(), where, "storage.orphan_grace_ms");
                abandonedUploadMs = s.abandonedUploadMs() == null ? abandonedUploadMs
                        : Src.of(s.abandonedUploadMs(), where, "storage.abandoned_upload_ms");
            }
            if (f.database() != null) {
                driver = f.database().driver() == null ? driver : Src.of(f.database().driver(), where, "database.driver");
                dsn = f.database().dsn() == null ? dsn : Src.of(f.database().dsn(), where, "database.dsn");
            }
            if (f.queue() != null) {
                queueSize = f.queue().size() == null ? queueSize : Src.of(f.queue().size(), where, "queue.size");
                queueWorkers = f.queue().workers() == null ? queueWorkers
                        : Src.of(f.queue().workers(), where, "queue.workers");
                queueFullWaitMs = f.queue().fullWaitMs() == null ? queueFullWaitMs
                        : Src.of(f.queue().fullWaitMs(), where, "queue.full_wait_ms");
            }
            if (f.thirdParty() != null) {
                applyThirdParty(f.thirdParty(), where);
            }
            if (f.journal() != null && f.journal().size() != null) {
                journalSize = Src.of(f.journal().size(), where, "journal.size");
            }
            if (f.metrics() != null && f.metrics().enabled() != null) {
                metricsEnabled = Src.of(f.metrics().enabled(), where, "metrics.enabled");
            }
            if (f.log() != null && f.log().access() != null) {
                accessLog = Src.of(f.log().access(), where, "log.access");
            }
            if (f.auth() != null) {
                authMode = f.auth().mode() == null ? authMode : Src.of(f.auth().mode(), where, "auth.mode");
                authAccessKey = f.auth().accessKey() == null ? authAccessKey : Src.of(f.auth().accessKey(), where, "auth.access_key");
                authSecretKey = f.auth().secretKey() == null ? authSecretKey : Src.of(f.auth().secretKey(), where, "auth.secret_key");
            }
        }

        private void applyThirdParty(ConfigFile.ThirdParty t, String where) {
            tpEnabled = t.enabled() == null ? tpEnabled : Src.of(t.enabled(), where, "third_party.enabled");
            tpUrl = t.url() == null ? tpUrl : Src.of(t.url(), where, "third_party.url");
            if (t.buckets() != null) {
                List<BucketSpec> list = new ArrayList<>();
                for (int i = 0; i < t.buckets().size(); i++) {
                    JsonNode b = t.buckets().get(i);
                    String field = "third_party.buckets[" + i + "]";
                    if (b.isTextual()) {
                        list.add(new BucketSpec(Src.of(b.asText(), where, field), null));
                    } else if (b.isObject()) {
                        Set<String> names = new TreeSet<>();
                        b.fieldNames().forEachRemaining(names::add);
                        names.removeAll(Set.of("name", "url"));
                        if (!names.isEmpty()) {
                            throw new ConfigException(where + ": " + field + "." + names.iterator().next()
                                    + ": unknown field (known here: name, url)");
                        }
                        JsonNode name = b.get("name");
                        JsonNode url = b.get("url");
                        if (name == null || !name.isTextual()) {
                            throw new ConfigException(where + ": " + field + ".name: expected a string, got "
                                    + (name == null ? "nothing" : found(name, List.of())));
                        }
                        if (url != null && !url.isTextual()) {
                            throw new ConfigException(where + ": " + field + ".url: expected a string, got " + found(url, List.of()));
                        }
                        list.add(new BucketSpec(Src.of(name.asText(), where, field + ".name"),
                                url == null ? null : Src.of(url.asText(), where, field + ".url")));
                    } else {
                        throw new ConfigException(where + ": " + field + ": expected a bucket name or {\"name\", \"url\"}, got "
                                + found(b, List.of()));
                    }
                }
                tpBuckets = list;
            }
            if (t.headers() != null) {
                tpHeaders = new LinkedHashMap<>();
                t.headers().forEach((n, v) -> tpHeaders.put(n, Src.of(v, where, "third_party.headers." + n)));
            }
            tpTimeout = t.timeoutMs() == null ? tpTimeout : Src.of(t.timeoutMs(), where, "third_party.timeout_ms");
            tpRetries = t.retries() == null ? tpRetries : Src.of(t.retries(), where, "third_party.retries");
            tpScripts = t.scripts() == null ? tpScripts : Src.of(t.scripts(), where, "third_party.scripts");
        }

        void apply(String name, String text, String origin) {
            Setting setting = Setting.byName(name).orElseThrow(() -> new ConfigException(
                    origin + ": " + name + ": unknown setting (known: " + Setting.knownNames() + ")"));
            Src<String> raw = new Src<>(text, text, origin, name);
            if (text == null) {
                throw raw.fail("no value given");
            }
            switch (setting) {
                case SERVER_HOST -> host = raw;
                case SERVER_PORT -> port = integer(raw);
                case SERVER_DOMAIN -> domain = raw;
                case SERVER_MAX_CONNECTIONS -> maxConnections = integer(raw);
                case SERVER_HEAD_TIMEOUT_MS -> headTimeoutMs = integer(raw);
                case STORAGE_DATA_DIR -> dataDir = raw;
                case STORAGE_NODES -> {
                    nodes = nodesSetting(raw);
                    nodesOrigin = origin;
                }
                case STORAGE_AUTO_CREATE_BUCKETS -> autoCreateBuckets = bool(raw);
                case STORAGE_FSYNC -> fsync = bool(raw);
                case STORAGE_WRITE_QUORUM -> writeQuorum = integer(raw);
                case STORAGE_CHECK_INTERVAL_MS -> checkIntervalMs = integer(raw);
                case STORAGE_ORPHAN_GRACE_MS -> orphanGraceMs = integer(raw);
                case STORAGE_ABANDONED_UPLOAD_MS -> abandonedUploadMs = integer(raw);
                case STORAGE_BUCKETS -> buckets = bucketList(List.of(raw.value().split(",", -1)));
                case DATABASE_DRIVER -> driver = raw;
                case DATABASE_DSN -> dsn = raw;
                case QUEUE_SIZE -> queueSize = integer(raw);
                case QUEUE_WORKERS -> queueWorkers = integer(raw);
                case QUEUE_FULL_WAIT_MS -> queueFullWaitMs = integer(raw);
                case THIRD_PARTY_ENABLED -> tpEnabled = bool(raw);
                case THIRD_PARTY_URL -> tpUrl = raw;
                case THIRD_PARTY_BUCKETS -> tpBuckets = bucketsSetting(raw);
                case THIRD_PARTY_HEADERS -> tpHeaders = headersSetting(raw);
                case THIRD_PARTY_TIMEOUT_MS -> tpTimeout = integer(raw);
                case THIRD_PARTY_RETRIES -> tpRetries = integer(raw);
                case THIRD_PARTY_SCRIPTS -> tpScripts = raw;
                case JOURNAL_SIZE -> journalSize = integer(raw);
                case METRICS_ENABLED -> metricsEnabled = bool(raw);
                case LOG_ACCESS -> accessLog = raw;
                case AUTH_MODE -> authMode = raw;
                case AUTH_ACCESS_KEY -> authAccessKey = raw;
                case AUTH_SECRET_KEY -> authSecretKey = raw;
            }
        }

        Config resolve(Path workingDir) {
            String h = host.value().trim();
            if (h.isEmpty() || h.chars().anyMatch(Character::isWhitespace)) {
                throw host.fail("\"" + host.text() + "\" is not a host name or address");
            }
            if (port.value() < 0 || port.value() > 65535) {
                throw port.fail(port.value() + " is outside 0..65535");
            }
            if (maxConnections.value() < 1) {
                throw maxConnections.fail("must be at least 1, got " + maxConnections.value());
            }
            if (headTimeoutMs.value() < 1) {
                throw headTimeoutMs.fail("must be at least 1, got " + headTimeoutMs.value());
            }
            List<String> domains = new ArrayList<>();
            for (String d : domain.value().split(",")) {
                String name = d.trim().toLowerCase(java.util.Locale.ROOT);
                if (name.startsWith(".")) {
                    name = name.substring(1);
                }
                if (!name.isEmpty() && !name.matches("[a-z0-9.-]+")) {
                    throw domain.fail("\"" + d.trim() + "\" is not a domain name");
                }
                if (!name.isEmpty() && !domains.contains(name)) {
                    domains.add(name);
                }
            }
            Path data = path(dataDir, workingDir);

            List<NodeSpec> specs = nodes != null ? nodes : defaultNodes(DEFAULT_NODE_COUNT, "default");
            if (specs.isEmpty()) {
                throw new ConfigException(nodesOrigin + ": storage.nodes: no nodes; at least 1 is needed");
            }
            List<Config.Node> resolved = new ArrayList<>();
            List<NodeSpec> seen = new ArrayList<>();
            for (NodeSpec spec : specs) {
                Src<String> id = spec.id();
                if (id.value().isEmpty()) {
                    throw id.fail("must not be empty");
                }
                if (!NODE_ID.matcher(id.value()).matches()) {
                    throw id.fail("\"" + id.value() + "\" may contain only letters, digits, '_' and '-'");
                }
                Path p = spec.path() == null ? data.resolve(id.value()) : path(spec.path(), workingDir);
                Src<String> pathSrc = spec.path() != null ? spec.path()
                        : new Src<>(p.toString(), p.toString(), id.origin(), id.field().replace(".id", ".path"));
                for (int j = 0; j < resolved.size(); j++) {
                    Config.Node other = resolved.get(j);
                    if (other.id().equals(id.value())) {
                        throw id.fail("\"" + id.value() + "\" is already used by " + seen.get(j).id().field());
                    }
                    if (other.path().equals(p)) {
                        throw pathSrc.fail("\"" + pathSrc.text() + "\" is already used by node " + other.id());
                    }
                    if (p.startsWith(other.path())) {
                        throw pathSrc.fail("\"" + pathSrc.text() + "\" is inside the directory of node " + other.id());
                    }
                    if (other.path().startsWith(p)) {
                        throw pathSrc.fail("\"" + pathSrc.text() + "\" contains the directory of node " + other.id());
                    }
                }
                resolved.add(new Config.Node(id.value(), p));
                seen.add(spec);
            }

            String drv = driver.value();
            if (!drv.equals("sqlite3") && !drv.equals("sqlite")) {
                throw driver.fail("\"" + drv + "\" is not supported (only sqlite3 or sqlite)");
            }
            Path db;
            if (dsn == null) {
                db = data.resolve("metadata.db");
            } else {
                String d = dsn.value().startsWith("file:") ? dsn.value().substring("file:".length()) : dsn.value();
                if (d.equals(":memory:")) {
                    throw dsn.fail("\"" + dsn.text() + "\": an in-memory database is not supported; give a file path");
                }
                if (d.contains("?")) {
                    throw dsn.fail("\"" + dsn.text() + "\": connection options are not supported; give the file path only");
                }
                db = path(new Src<>(d, dsn.text(), dsn.origin(), dsn.field()), workingDir);
            }
            for (Config.Node n : resolved) {
                if (db.startsWith(n.path())) {
                    String shown = dsn == null ? db.toString() : dsn.text();
                    Src<String> where = dsn != null ? dsn
                            : new Src<>(shown, shown, dataDir.origin(), "database.dsn (default <data_dir>/metadata.db)");
                    throw where.fail("\"" + shown + "\" is inside the directory of node " + n.id());
                }
            }
            if (writeQuorum != null && (writeQuorum.value() < 1 || writeQuorum.value() > resolved.size())) {
                throw writeQuorum.fail("must be between 1 and the number of nodes (" + resolved.size() + "), got "
                        + writeQuorum.value());
            }
            if (checkIntervalMs.value() < 0) {
                throw checkIntervalMs.fail("must be 0 (off) or more, got " + checkIntervalMs.value());
            }
            if (orphanGraceMs.value() < 0) {
                throw orphanGraceMs.fail("must be 0 or more, got " + orphanGraceMs.value());
            }
            if (abandonedUploadMs.value() < 0) {
                throw abandonedUploadMs.fail("must be 0 (never) or more, got " + abandonedUploadMs.value());
            }
            if (queueSize.value() < 1) {
                throw queueSize.fail("must be at least 1, got " + queueSize.value());
            }
            if (queueWorkers.value() < 0) {
                throw queueWorkers.fail("must be at least 0, got " + queueWorkers.value());
            }
            if (queueFullWaitMs.value() < 0) {
                throw queueFullWaitMs.fail("must be at least 0, got " + queueFullWaitMs.value());
            }
            if (journalSize.value() < 0) {
                throw journalSize.fail("must be 0 (off) or more, got " + journalSize.value());
            }
            String log = accessLog.value().trim();
            String accessLogTarget = log.equalsIgnoreCase("off") ? null
                    : log.equalsIgnoreCase(Config.Observe.STDOUT) ? Config.Observe.STDOUT : path(accessLog, workingDir).toString();
            return new Config(
                    new Config.Server(h, port.value(), List.copyOf(domains), maxConnections.value(), headTimeoutMs.value()),
                    new Config.Storage(data, List.copyOf(resolved), autoCreateBuckets.value(), fsync.value(), buckets,
                            new Config.Consistency(writeQuorum == null ? 0 : writeQuorum.value(), checkIntervalMs.value(),
                                    orphanGraceMs.value(), abandonedUploadMs.value())),
                    new Config.Database(drv, db),
                    new Config.Queue(queueSize.value(), queueWorkers.value(), queueFullWaitMs.value()),
                    resolveThirdParty(workingDir),
                    new Config.Observe(journalSize.value(), metricsEnabled.value(), accessLogTarget),
                    resolveAuth());
        }

        private Config.Auth resolveAuth() {
            String mode = authMode.value().strip().toLowerCase(Locale.ROOT);
            if (!mode.equals("open") && !mode.equals("strict")) {
                throw authMode.fail("\"" + authMode.text() + "\" is not an auth mode (open or strict)");
            }
            String access = authAccessKey.value();
            if (access.isEmpty() || access.contains("/") || access.chars().anyMatch(c -> c <= ' ' || c > '~')) {
                throw authAccessKey.fail("\"" + authAccessKey.text()
                        + "\" is not an access key id (printable ASCII without spaces or '/', not empty)");
            }
            if (authSecretKey.value().isEmpty()) {
                throw authSecretKey.fail("must not be empty");
            }
            return new Config.Auth(mode.equals("strict"), access, authSecretKey.value());
        }

        private Config.ThirdParty resolveThirdParty(Path workingDir) {
            String url = tpUrl == null ? null : template(tpUrl);
            List<Config.Bucket> buckets = null;
            if (tpBuckets != null) {
                buckets = new ArrayList<>();
                Map<String, Src<String>> seen = new LinkedHashMap<>();
                for (BucketSpec b : tpBuckets) {
                    String name = b.name().value().trim();
                    if (name.isEmpty()) {
                        throw b.name().fail("a bucket name must not be empty");
                    }
                    if (seen.containsKey(name)) {
                        throw b.name().fail("bucket " + name + " is already listed at " + seen.get(name).field());
                    }
                    seen.put(name, b.name());
                    buckets.add(new Config.Bucket(name, b.url() == null ? null : template(b.url())));
                }
                buckets = List.copyOf(buckets);
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (Map.Entry<String, Src<String>> e : tpHeaders.entrySet()) {
                String name = e.getKey().trim();
                if (!HEADER_NAME.matcher(name).matches()) {
                    throw e.getValue().fail("\"" + e.getKey() + "\" is not an HTTP header name");
                }
                if (RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    throw e.getValue().fail(name + " is set by the HTTP client itself and cannot be configured");
                }
                if (e.getValue().value().contains("\r") || e.getValue().value().contains("\n")) {
                    throw e.getValue().fail("a header value must not contain line breaks");
                }
                headers.put(name, e.getValue().value());
            }
            if (tpTimeout.value() < 1) {
                throw tpTimeout.fail("must be at least 1, got " + tpTimeout.value());
            }
            if (tpRetries.value() < 0 || tpRetries.value() > 10) {
                throw tpRetries.fail("must be 0..10, got " + tpRetries.value());
            }
            Path scripts = null;
            if (tpScripts != null) {
                scripts = path(tpScripts, workingDir);
                if (!tpEnabled.value()) {
                    throw tpScripts.fail("scripts need the read-through, but " + tpEnabled.field() + " is false ("
                            + tpEnabled.origin() + ")");
                }
                if (url != null) {
                    throw tpScripts.fail("scripts are played by the in-process upstream, which is not used while "
                            + tpUrl.field() + " is set (" + tpUrl.origin() + ")");
                }
            }
            return new Config.ThirdParty(tpEnabled.value(), url, buckets, Map.copyOf(headers), tpTimeout.value(),
                    tpRetries.value(), scripts);
        }

        /** A URL template: http(s), a host, and {key} somewhere. */
        private static String template(Src<String> src) {
            String t = src.value().trim();
            if (!t.startsWith("http://") && !t.startsWith("https://")) {
                throw src.fail("\"" + src.text() + "\" is not an http:// or https:// URL template");
            }
            if (!t.contains("{key}")) {
                throw src.fail("\"" + src.text() + "\" has no {key} placeholder (e.g. http://host:port/{bucket}/{key})");
            }
            try {
                java.net.URI uri = new java.net.URI(t.replace("{bucket}", "b").replace("{key}", "k"));
                if (uri.getHost() == null) {
                    throw src.fail("\"" + src.text() + "\" has no host");
                }
            } catch (java.net.URISyntaxException e) {
                throw src.fail("\"" + src.text() + "\" is not a valid URL template: " + e.getReason());
            }
            return t;
        }

        /** {@code name,name=url}. */
        private static List<BucketSpec> bucketsSetting(Src<String> raw) {
            List<BucketSpec> list = new ArrayList<>();
            if (raw.value().isBlank()) {
                return list;
            }
            String[] entries = raw.value().split(",", -1);
            for (int i = 0; i < entries.length; i++) {
                String entry = entries[i].trim();
                String field = "third_party.buckets[" + i + "]";
                int eq = entry.indexOf('=');
                String name = eq < 0 ? entry : entry.substring(0, eq).trim();
                Src<String> url = eq < 0 ? null : new Src<>(entry.substring(eq + 1).trim(), entry.substring(eq + 1).trim(),
                        raw.origin(), field + ".url");
                list.add(new BucketSpec(new Src<>(name, name, raw.origin(), field + ".name"), url));
            }
            return list;
        }

        /** {@code Name=value,Name=value}. */
        private static Map<String, Src<String>> headersSetting(Src<String> raw) {
            Map<String, Src<String>> headers = new LinkedHashMap<>();
            if (raw.value().isBlank()) {
                return headers;
            }
            for (String entry : raw.value().split(",", -1)) {
                int eq = entry.indexOf('=');
                if (eq < 0) {
                    throw raw.fail("\"" + entry.trim() + "\" is not Name=value");
                }
                String name = entry.substring(0, eq).trim();
                String value = entry.substring(eq + 1).trim();
                headers.put(name, new Src<>(value, value, raw.origin(), "third_party.headers." + name));
            }
            return headers;
        }

        private static Path path(Src<String> src, Path workingDir) {
            if (src.value().isBlank()) {
                throw src.fail("must not be empty");
            }
            try {
                return workingDir.resolve(src.value()).toAbsolutePath().normalize();
            } catch (InvalidPathException e) {
                throw src.fail("\"" + src.text() + "\" is not a valid path: " + e.getReason());
            }
        }

        /** Trimmed names, blanks dropped (so {@code ""} means none); S3's naming rules are the server's to check. */
        private static List<String> bucketList(List<String> names) {
            List<String> list = new ArrayList<>();
            for (String n : names) {
                String name = n.trim();
                if (!name.isEmpty() && !list.contains(name)) {
                    list.add(name);
                }
            }
            return List.copyOf(list);
        }

        private static List<NodeSpec> defaultNodes(int count, String origin) {
            List<NodeSpec> list = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                list.add(new NodeSpec(Src.of("stg" + (i + 1), origin, "storage.nodes[" + i + "].id"), null));
            }
            return list;
        }

        /** {@code "3"} (stg1..stg3 under data_dir), or {@code "a=/p1,b=/p2"}; an entry without {@code =} is an id under data_dir. */
        private static List<NodeSpec> nodesSetting(Src<String> raw) {
            String text = raw.value().trim();
            if (text.matches("[+-]?\\d+")) {
                int count = integer(raw).value();
                if (count < 1) {
                    throw raw.fail(count + " nodes; at least 1 is needed");
                }
                return defaultNodes(count, raw.origin());
            }
            if (text.isEmpty()) {
                throw raw.fail("no nodes; give a count or id=path,id=path");
            }
            List<NodeSpec> list = new ArrayList<>();
            String[] entries = text.split(",", -1);
            for (int i = 0; i < entries.length; i++) {
                String entry = entries[i].trim();
                String field = "storage.nodes[" + i + "]";
                int eq = entry.indexOf('=');
                String id = eq < 0 ? entry : entry.substring(0, eq).trim();
                Src<String> path = eq < 0 ? null : new Src<>(entry.substring(eq + 1).trim(),
                        entry.substring(eq + 1).trim(), raw.origin(), field + ".path");
                list.add(new NodeSpec(new Src<>(id, id, raw.origin(), field + ".id"), path));
            }
            return list;
        }

        private static Src<Integer> integer(Src<String> raw) {
            try {
                return new Src<>(Integer.parseInt(raw.value().trim()), raw.text(), raw.origin(), raw.field());
            } catch (NumberFormatException e) {
                throw raw.fail("\"" + raw.text() + "\" is not a whole number");
            }
        }

        private static Src<Boolean> bool(Src<String> raw) {
            Boolean b = switch (raw.value().trim().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "1" -> Boolean.TRUE;
                case "false", "no", "off", "0" -> Boolean.FALSE;
                default -> null;
            };
            if (b == null) {
                throw raw.fail("\"" + raw.text() + "\" is not a boolean (use true or false)");
            }
            return new Src<>(b, raw.text(), raw.origin(), raw.field());
        }
    }
}
