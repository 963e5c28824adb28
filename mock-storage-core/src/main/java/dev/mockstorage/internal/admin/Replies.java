package dev.mockstorage.internal.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mockstorage.internal.contract.AdminJson;
import dev.mockstorage.internal.http.HttpResponse;
import dev.mockstorage.internal.metadata.ObjectRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The admin API's answers: JSON, never cached, and the object form the listings and the object routes share. */
final class Replies {
    private Replies() {}

    static HttpResponse json(int status, JsonNode body) {
        return json(status, AdminJson.bytes(body));
    }

    /** A JSON text written elsewhere (the third party's, by {@code ThirdPartyJson}). */
    static HttpResponse json(int status, String body) {
        return json(status, body.getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse json(int status, byte[] body) {
        return HttpResponse.status(status)
                .header("Content-Type", "application/json")
                .header("Cache-Control", "no-store")
                .body(body);
    }

    static HttpResponse noContent() {
        return HttpResponse.status(204);
    }

    /** An object as the admin API shows it; {@code replicas} (the nodes holding an intact copy) only when not null. */
    static ObjectNode object(ObjectRecord o, List<String> replicas) {
        ObjectNode n = AdminJson.object();
        n.put("bucket", o.bucket());
        n.put("key", o.key());
        n.put("size", o.size());
        n.put("etag", "\"" + o.etag() + "\"");
        n.put("content_type", o.contentType());
        n.put("created", o.lastModified().toString());
        ObjectNode checksums = n.putObject("checksums");
        checksums.put("MD5", o.etag());
        o.checksums().forEach(checksums::put);
        ObjectNode meta = n.putObject("user_metadata");
        o.userMetadata().forEach(meta::put);
        ObjectNode tags = n.putObject("tags");
        o.tags().forEach(tags::put);
        n.put("version_id", o.s3VersionId());
        if (!o.headers().isEmpty()) {
            ObjectNode headers = n.putObject("headers");
            o.headers().forEach(headers::put);
        }
        if (replicas != null) {
            ArrayNode r = n.putArray("replicas");
            replicas.forEach(r::add);
        }
        return n;
    }
}
