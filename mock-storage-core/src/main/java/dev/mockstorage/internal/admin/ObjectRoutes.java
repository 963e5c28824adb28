package dev.mockstorage.internal.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mockstorage.internal.contract.AdminJson;
import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.http.HttpRequest;
import dev.mockstorage.internal.http.HttpResponse;
import dev.mockstorage.internal.metadata.FoundObjects;
import dev.mockstorage.internal.metadata.ObjectQuery;
import dev.mockstorage.internal.metadata.ObjectRecord;
import dev.mockstorage.internal.service.Inspection;
import dev.mockstorage.internal.service.ListPage;
import dev.mockstorage.internal.service.ObjectService;
import dev.mockstorage.internal.service.ObjectWrite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Objects across buckets: the flat and the folder-like listing, search, one object's details, upload
 * (raw body or a multipart form, streamed) and delete.
 */
final class ObjectRoutes {
    private static final int MAX_FORM_FIELD_BYTES = 4096;

    private final ObjectService service;
    private final Inspection inspection;

    ObjectRoutes(ObjectService service, Inspection inspection) {
        this.service = service;
        this.inspection = inspection;
    }

    /** {@code GET /api/v1/objects?bucket=&prefix=&limit=&cursor=}; with {@code delimiter}, {@link #listFolders}. */
    HttpResponse list(HttpRequest request, Map<String, String> path) {
        String delimiter = request.queryParameter("delimiter");
        if (delimiter != null && !delimiter.isEmpty()) {
            return listFolders(request, delimiter);
        }
        String bucket = request.queryParameter("bucket");
        if (bucket != null) {
            service.buckets().require(bucket);
        }
        ObjectQuery q = new ObjectQuery(bucket, request.queryParameter("prefix"), null, null, null, null, null);
        return page(request, q, null);
    }

    /**
     * {@code GET /api/v1/objects?bucket=B&delimiter=D&prefix=&limit=&cursor=}: one bucket's keys under the
     * prefix, rolled up at the delimiter into {@code prefixes} (folders); paged like the flat listing, the
     * limit counting objects and prefixes together.
     */
    private HttpResponse listFolders(HttpRequest request, String delimiter) {
        String bucket = request.queryParameter("bucket");
        if (bucket == null || bucket.isEmpty()) {
            throw Params.badParameter("bucket", "'bucket' is required with 'delimiter'");
        }
        String[] after = Params.decodeCursor(request.queryParameter("cursor"));
        if (after != null && !after[0].equals(bucket)) {
            throw Params.badParameter(
                    "cursor", "the cursor belongs to bucket '" + after[0] + "', not '" + bucket + "'");
        }
        ListPage page = service.listings()
                .list(
                        bucket,
                        request.queryParameter("prefix"),
                        delimiter,
                        after == null ? null : after[1],
                        Params.limit(request));
        ObjectNode root = AdminJson.object();
        ArrayNode prefixes = root.putArray("prefixes");
        page.commonPrefixes().forEach(prefixes::add);
        ArrayNode objects = root.putArray("objects");
        page.objects().forEach(o -> objects.add(Replies.object(o, null)));
        root.put("count", page.objects().size() + page.commonPrefixes().size());
        root.put("truncated", page.truncated());
        root.put("next_cursor", page.truncated() ? Params.encodeCursor(bucket, page.lastEntry()) : null);
        return Replies.json(200, root);
    }

    /** {@code GET /api/v1/search?q=&bucket=&content_type=&min_size=&max_size=&limit=&cursor=}. */
    HttpResponse search(HttpRequest request, Map<String, String> path) {
        String text = request.queryParameter("q");
        if (text == null || text.isEmpty()) {
            throw Params.badParameter(
                    "q", "the query parameter 'q' is required: a substring of the keys, or a glob with * and ?");
        }
        boolean glob = text.indexOf('*') >= 0 || text.indexOf('?') >= 0;
        Long min = Params.size(request, "min_size");
        Long max = Params.size(request, "max_size");
        if (min != null && max != null && min > max) {
            throw Params.badParameter("max_size", "max_size (" + max + ") is below min_size (" + min + ")");
        }
        ObjectQuery q = new ObjectQuery(
                request.queryParameter("bucket"),
                null,
                glob ? null : text,
                glob ? text : null,
                request.queryParameter("content_type"),
                min,
                max);
        return page(request, q, glob ? "glob" : "substring");
    }

    private HttpResponse page(HttpRequest request, ObjectQuery query, String mode) {
        int limit = Params.limit(request);
        String[] after = Params.decodeCursor(request.queryParameter("cursor"));
        FoundObjects result =
                inspection.find(query, after == null ? null : after[0], after == null ? null : after[1], limit + 1);
        List<ObjectRecord> found = result.objects();
        boolean full = found.size() > limit;
        // a search that checks keys one by one examines a bounded number per page: a page that stopped
        // there is not the last, however few objects it holds
        boolean truncated = full || result.stoppedEarly();
        List<ObjectRecord> page = full ? found.subList(0, limit) : found;
        ObjectNode root = AdminJson.object();
        if (mode != null) {
            root.put("mode", mode);
        }
        ArrayNode objects = root.putArray("objects");
        for (ObjectRecord o : page) {
            objects.add(Replies.object(o, null));
        }
        root.put("count", page.size());
        root.put("truncated", truncated);
        if (full) {
            ObjectRecord last = page.get(page.size() - 1);
            root.put("next_cursor", Params.encodeCursor(last.bucket(), last.key()));
        } else if (truncated) {
            root.put("next_cursor", Params.encodeCursor(result.stoppedAtBucket(), result.stoppedAtKey()));
        } else {
            root.putNull("next_cursor");
        }
        return Replies.json(200, root);
    }

    /** {@code GET /api/v1/objects/{bucket}/{key}}: the object with the nodes holding an intact copy. */
    HttpResponse get(HttpRequest request, Map<String, String> path) {
        ObjectRecord o = service.readThrough().headOrFetch(path.get("bucket"), path.get("key"));
        return Replies.json(200, Replies.object(o, inspection.replicaNodes(o)));
    }

    /** {@code DELETE /api/v1/objects/{bucket}/{key}}: 204, or 404 for what is not there. */
    HttpResponse delete(HttpRequest request, Map<String, String> path) {
        String bucket = path.get("bucket");
        String key = path.get("key");
        service.readThrough().headOrFetch(bucket, key); // 404 NoSuchBucket / NoSuchKey for what is not there
        if (service.writes().delete(bucket, key).isEmpty()) {
            throw new StorageException(ErrorCode.NoSuchKey, "no object " + bucket + "/" + key);
        }
        return Replies.noContent();
    }

    /**
     * {@code POST /api/v1/objects}: a {@code multipart/form-data} form (bucket, key, content_type, then
     * file, streamed) or the raw body with {@code ?bucket=&key=}; 201 with the object.
     */
    HttpResponse upload(HttpRequest request, Map<String, String> path) throws IOException {
        String boundary = MultipartReader.boundary(request.header("content-type"));
        String bucket = request.queryParameter("bucket");
        String key = request.queryParameter("key");
        if (boundary == null) {
            Params.require("bucket", bucket);
            Params.require("key", key);
            ObjectRecord stored = service.writes()
                    .put(
                            write(
                                    bucket,
                                    key,
                                    request.header("content-type"),
                                    request.declaredBodyLength(),
                                    request::trailers),
                            request.body());
            return Replies.json(201, Replies.object(stored, inspection.replicaNodes(stored)));
        }
        MultipartReader reader = new MultipartReader(request.body(), boundary);
        String contentType = null;
        ObjectRecord stored = null;
        for (MultipartReader.Part part = reader.next(); part != null; part = reader.next()) {
            String name = part.name() == null ? "" : part.name();
            switch (name) {
                case "bucket" -> bucket = field(part);
                case "key" -> key = field(part);
                case "content_type" -> contentType = field(part);
                case "file" -> {
                    if (stored != null) {
                        throw Params.badParameter("file", "more than one 'file' part; upload one object per request");
                    }
                    if (key == null
                            && part.filename() != null
                            && !part.filename().isEmpty()) {
                        key = part.filename();
                    }
                    Params.require("bucket", bucket);
                    Params.require("key", key);
                    String type = contentType != null ? contentType : part.contentType();
                    stored = service.writes().put(write(bucket, key, type, -1, Map::of), part.body());
                }
                default ->
                    throw Params.badParameter(
                            name,
                            "unknown form field '" + name
                                    + "'; the form takes bucket, key, content_type and file (bucket and key before file)");
            }
        }
        if (stored == null) {
            throw Params.badParameter("file", "the form has no 'file' part");
        }
        return Replies.json(201, Replies.object(stored, inspection.replicaNodes(stored)));
    }

    private static ObjectWrite write(
            String bucket,
            String key,
            String contentType,
            long declaredLength,
            Supplier<Map<String, String>> trailers) {
        return new ObjectWrite(
                bucket, key, contentType, Map.of(), Map.of(), null, null, Map.of(), Set.of(), trailers, declaredLength);
    }

    private static String field(MultipartReader.Part part) throws IOException {
        byte[] value = part.body().readNBytes(MAX_FORM_FIELD_BYTES + 1);
        if (value.length > MAX_FORM_FIELD_BYTES) {
            throw Params.badParameter(
                    part.name(),
                    "the form field '" + part.name() + "' is longer than " + MAX_FORM_FIELD_BYTES + " bytes");
        }
        return new String(value, StandardCharsets.UTF_8);
    }
}
