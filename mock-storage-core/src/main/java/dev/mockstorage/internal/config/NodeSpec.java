package dev.mockstorage.internal.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One entry of {@code storage.nodes} as written: its id and its directory, or a null path for
 * {@code <data_dir>/<id>}. In config.json an array of {@code {"id", "path"}}; as text a count N
 * (nodes {@code stg1..stgN}) or {@code id=path,id=path}, where an entry without {@code =} is an id.
 */
record NodeSpec(Value<String> id, Value<String> path) {

    /** What a node id may contain. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]+");

    static final Type<List<NodeSpec>> TYPE = Type.of(NodeSpec::parse, NodeSpec::read);

    /** Nodes {@code stg1..stgN} under the data directory. */
    static List<NodeSpec> count(int count, String origin) {
        List<NodeSpec> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(new NodeSpec(Value.of("stg" + (i + 1), origin, "storage.nodes[" + i + "].id"), null));
        }
        return List.copyOf(list);
    }

    private static List<NodeSpec> parse(Value<String> raw) {
        String text = raw.value().trim();
        if (text.matches("[+-]?\\d+")) {
            int count = Types.integer(raw);
            if (count < 1) {
                throw raw.fail(count + " nodes; at least 1 is needed");
            }
            return count(count, raw.origin());
        }
        if (text.isEmpty()) {
            throw raw.fail("no nodes; give a count or id=path,id=path");
        }
        return Types.entries(raw, "id", "path", NodeSpec::new);
    }

    private static List<NodeSpec> read(JsonField json) {
        List<NodeSpec> list = new ArrayList<>();
        List<JsonField> elements = json.elements();
        for (int i = 0; i < elements.size(); i++) {
            Map<String, JsonField> fields = elements.get(i).fields(Set.of("id", "path"));
            JsonField id = fields.get("id");
            JsonField path = fields.get("path");
            list.add(new NodeSpec(
                    id == null
                            ? Value.of(
                                    "stg" + (i + 1),
                                    json.where(),
                                    elements.get(i).field() + ".id")
                            : id.value(id.string()),
                    path == null ? null : path.value(path.string())));
        }
        return List.copyOf(list);
    }

    /** At least one node; each id well formed and used once; each path one that can be a directory. */
    static void verify(Value<List<NodeSpec>> nodes) {
        if (nodes.value().isEmpty()) {
            throw nodes.fail("no nodes; at least 1 is needed");
        }
        List<NodeSpec> seen = new ArrayList<>();
        for (NodeSpec node : nodes.value()) {
            Value<String> id = node.id();
            if (id.value().isEmpty()) {
                throw id.fail("must not be empty");
            }
            if (!ID.matcher(id.value()).matches()) {
                throw id.fail("\"" + id.value() + "\" may contain only letters, digits, '_' and '-'");
            }
            if (node.path() != null) {
                Types.checkPath(node.path());
            }
            for (NodeSpec other : seen) {
                if (other.id().value().equals(id.value())) {
                    throw id.fail("\"" + id.value() + "\" is already used by "
                            + other.id().field());
                }
            }
            seen.add(node);
        }
    }
}
