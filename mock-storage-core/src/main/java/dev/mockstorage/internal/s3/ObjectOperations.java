package dev.mockstorage.internal.s3;

import dev.mockstorage.internal.checksum.ChecksumAlgorithm;
import dev.mockstorage.internal.checksum.Hasher;
import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.http.HttpRequest;
import dev.mockstorage.internal.http.HttpResponse;
import dev.mockstorage.internal.http.PercentCodec;
import dev.mockstorage.internal.metadata.MultipartLayout;
import dev.mockstorage.internal.metadata.ObjectRecord;
import dev.mockstorage.internal.metadata.ObjectVersion;
import dev.mockstorage.internal.service.BlobGoneException;
import dev.mockstorage.internal.service.DeleteOutcome;
import dev.mockstorage.internal.service.MultipartService;
import dev.mockstorage.internal.service.ObjectService;
import dev.mockstorage.internal.service.WriteChecks;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.w3c.dom.Element;

/** PutObject, GetObject, HeadObject, DeleteObject, CopyObject, DeleteObjects. */
final class ObjectOperations {
    private static final int MAX_DELETE_KEYS = 1000;

    private final ObjectService service;
    private final MultipartService multipart;
    private final Owner owner;

    ObjectOperations(ObjectService service, MultipartService multipart, Owner owner) {
        this.service = service;
        this.multipart = multipart;
        this.owner = owner;
    }

    HttpResponse put(S3Request r) {
        HttpRequest http = r.http();
        if (http.header("content-length") == null && http.header("transfer-encoding") == null) {
            throw new StorageException(
                    ErrorCode.MissingContentLength, "You must provide the Content-Length HTTP header.");
        }
        ObjectRecord stored = service.writes()
                .put(
                        ObjectHeaders.write(http, r.bucket(), r.key())
                                .withGrants(AclXml.fromHeaders(http, owner, false)),
                        http.body(),
                        Conditions.write(http));
        HttpResponse response = HttpResponse.status(200)
                .header("ETag", ObjectHeaders.quotedEtag(stored))
                .header("x-amz-version-id", stored.versionId()); // none for a null version: S3 omits it on writes
        ObjectHeaders.checksumHeaders(response, stored);
        return response;
    }

    HttpResponse get(S3Request r) {
        return read(r, false);
    }

    HttpResponse head(S3Request r) {
        return read(r, true);
    }

    private HttpResponse read(S3Request r, boolean headOnly) {
        return BlobGoneException.retrying(
                () -> target(service, r), ObjectRecord::blobId, object -> read(r, object, headOnly));
    }

    private HttpResponse read(S3Request r, ObjectRecord object, boolean headOnly) {
        HttpRequest http = r.http();
        String partNumber = http.queryParameter("partNumber");
        ByteRange part = null;
        int partsCount = 0;
        if (partNumber != null) {
            int n = partNumber(partNumber);
            var layout = multipart.layout(object);
            if (layout.isEmpty() && n != 1) {
                // S3 answers 400 here, and 416 for a part beyond the last of a multipart object
                throw new StorageException(
                                ErrorCode.InvalidPartNumber,
                                "The requested partnumber is not satisfiable: " + n
                                        + " (the object was not uploaded in parts, it has part 1 only)")
                        .withStatus(400)
                        .with("PartNumberRequested", Integer.toString(n))
                        .with("ActualPartCount", "1");
            }
            if (layout.isPresent()) {
                part = partRange(layout.get(), n);
                partsCount = layout.get().partSizes().size();
            }
        }
        Conditions.Outcome outcome = Conditions.evaluate(
                object,
                http.header("if-match"),
                http.header("if-unmodified-since"),
                http.header("if-none-match"),
                http.header("if-modified-since"),
                false);
        if (outcome == Conditions.Outcome.NOT_MODIFIED) {
            return HttpResponse.status(304)
                    .header("ETag", ObjectHeaders.quotedEtag(object))
                    .header("x-amz-version-id", versionHeader(service, object))
                    .header("Last-Modified", HttpDates.header(object.lastModified()));
        }
        ByteRange range = part != null ? part : ByteRange.parse(http.header("range"), object.size());
        HttpResponse response = HttpResponse.status(range == null ? 200 : 206);
        ObjectHeaders.describe(response, object, http, range == null);
        response.header("x-amz-version-id", versionHeader(service, object));
        service.objectLocks()
                .lockIfAny(object.bucket(), object.key(), object.s3VersionId())
                .ifPresent(lock -> ObjectHeaders.lockHeaders(response, lock));
        long length = range == null ? object.size() : range.length();
        if (range != null) {
            response.header("Content-Range", range.contentRange(object.size()));
        }
        if (partsCount > 0) {
            response.header("x-amz-mp-parts-count", Integer.toString(partsCount));
        }
        if (headOnly) {
            return response.contentLengthOnly(length);
        }
        InputStream content = service.reads().read(object, range == null ? 0 : range.first(), length);
        return response.body(content, length);
    }

    /** {@code ?partNumber=}: 1 to 10000, else {@code InvalidArgument}. */
    private static int partNumber(String value) {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > MultipartService.MAX_PART_NUMBER) {
            throw new StorageException(
                            ErrorCode.InvalidArgument,
                            "Part number must be an integer between 1 and " + MultipartService.MAX_PART_NUMBER
                                    + ", inclusive")
                    .with("ArgumentName", "partNumber")
                    .with("ArgumentValue", value);
        }
        return n;
    }

    /** The bytes of part {@code n} of a multipart object. */
    private static ByteRange partRange(MultipartLayout layout, int n) {
        if (n > layout.partSizes().size()) {
            throw new StorageException(
                            ErrorCode.InvalidPartNumber,
                            "The requested partnumber is not satisfiable: " + n + " (the object has "
                                    + layout.partSizes().size() + " parts)")
                    .with("PartNumberRequested", Integer.toString(n))
                    .with("ActualPartCount", Integer.toString(layout.partSizes().size()));
        }
        long first = 0;
        for (int i = 0; i < n - 1; i++) {
            first += layout.partSizes().get(i);
        }
        long size = layout.partSizes().get(n - 1);
        if (size == 0) {
            return null; // an empty last part: the (empty) object itself
        }
        return new ByteRange(first, first + size - 1);
    }

    HttpResponse delete(S3Request r) {
        DeleteOutcome outcome = service.writes()
                .deleteObject(r.bucket(), r.key(), r.http().queryParameter("versionId"), bypassGovernance(r.http()));
        return HttpResponse.status(204)
                .header("x-amz-version-id", outcome.versionId())
                .header("x-amz-delete-marker", outcome.deleteMarker() ? "true" : null);
    }

    /**
     * The object a GetObject-like request addresses: the current version, or with {@code ?versionId=} that
     * version ({@code NoSuchVersion}, {@code InvalidArgument}, {@code MethodNotAllowed} for a delete marker).
     */
    static ObjectRecord target(ObjectService service, S3Request r) {
        String versionId = r.http().queryParameter("versionId");
        return versionId == null
                ? service.readThrough().headOrFetch(r.bucket(), r.key())
                : service.reads()
                        .headVersion(r.bucket(), r.key(), versionId, r.http().method());
    }

    /**
     * {@code x-amz-version-id} of a version being read (GET, HEAD, tagging, attributes): its id, {@code null} for
     * a null version of a bucket with versioning configured, else none. Writes answer only a real id: S3 sends no
     * header for a write while versioning is suspended.
     */
    static String versionHeader(ObjectService service, ObjectRecord object) {
        if (object.versionId() != null) {
            return object.versionId();
        }
        return service.buckets().isVersioned(object.bucket()) ? ObjectVersion.NULL_ID : null;
    }

    /**
     * The source of a copy ({@link #copySource} parsed): its current version, or the version named by
     * {@code ?versionId=} ({@code NoSuchVersion} when unknown; a delete marker is {@code InvalidRequest}, as on S3).
     */
    static ObjectRecord copySourceRecord(ObjectService service, String[] source) {
        if (source[2] == null) {
            return service.readThrough().headOrFetch(source[0], source[1]);
        }
        ObjectVersion v = service.reads()
                .version(source[0], source[1], source[2])
                .orElseThrow(() -> new StorageException(
                                ErrorCode.NoSuchVersion,
                                "The specified version does not exist: " + source[2] + " of " + source[0] + "/"
                                        + source[1],
                                source[0] + "/" + source[1])
                        .with("Key", source[1])
                        .with("VersionId", source[2]));
        if (v.deleteMarker()) {
            throw new StorageException(
                    ErrorCode.InvalidRequest,
                    "The source of a copy request may not specifically refer to a " + "delete marker by version id: "
                            + source[2] + " of " + source[0] + "/" + source[1]);
        }
        return v.object();
    }

    HttpResponse copy(S3Request r) {
        HttpRequest http = r.http();
        String[] source = copySource(http.header("x-amz-copy-source"));
        return BlobGoneException.retrying(
                () -> copySourceRecord(service, source), ObjectRecord::blobId, src -> copy(r, source, src));
    }

    private HttpResponse copy(S3Request r, String[] source, ObjectRecord src) {
        HttpRequest http = r.http();
        Conditions.evaluate(
                src,
                http.header("x-amz-copy-source-if-match"),
                http.header("x-amz-copy-source-if-unmodified-since"),
                http.header("x-amz-copy-source-if-none-match"),
                http.header("x-amz-copy-source-if-modified-since"),
                true);
        String directive = http.header("x-amz-metadata-directive");
        boolean replace;
        if (directive == null || directive.equalsIgnoreCase("COPY")) {
            replace = false;
        } else if (directive.equalsIgnoreCase("REPLACE")) {
            replace = true;
        } else {
            throw new StorageException(
                            ErrorCode.InvalidArgument,
                            "Unknown metadata directive: " + directive + " (COPY or REPLACE)")
                    .with("ArgumentName", "x-amz-metadata-directive")
                    .with("ArgumentValue", directive);
        }
        if (!replace && src.bucket().equals(r.bucket()) && src.key().equals(r.key()) && source[2] == null) {
            throw new StorageException(
                    ErrorCode.InvalidRequest,
                    "This copy request is illegal because it is trying to copy an "
                            + "object to itself without changing the object's metadata, storage class, website redirect location or "
                            + "encryption attributes.");
        }
        ObjectRecord copied = service.writes()
                .copy(
                        src,
                        ObjectHeaders.copyWrite(http, src, r.bucket(), r.key(), replace)
                                .withGrants(AclXml.fromHeaders(
                                        http, owner, false)), // a copy's ACL is the request's, never the source's
                        Conditions.write(
                                http)); // If-Match/If-None-Match: the destination's; x-amz-copy-source-if-*: the
        // source's
        Xml xml = Xml.document("CopyObjectResult")
                .element("LastModified", HttpDates.xml(copied.lastModified()))
                .element("ETag", ObjectHeaders.quotedEtag(copied));
        copied.checksums().forEach((name, value) -> xml.element("Checksum" + name, value));
        return Xml.response(200, xml)
                .header("x-amz-copy-source-version-id", versionHeader(service, src))
                .header("x-amz-version-id", copied.versionId());
    }

    /**
     * {@code /bucket/key} or {@code bucket/key}, percent-encoded, optionally {@code ?versionId=...}: returns
     * {@code [bucket, key, versionId or null]}.
     */
    static String[] copySource(String header) {
        String value = header.trim();
        int q = value.indexOf('?');
        String versionId = null;
        if (q >= 0) {
            String query = value.substring(q + 1);
            if (query.startsWith("versionId=")) {
                versionId = PercentCodec.decode(query.substring("versionId=".length()));
            }
            value = value.substring(0, q);
        }
        String decoded = PercentCodec.decode(value.startsWith("/") ? value.substring(1) : value);
        int slash = decoded.indexOf('/');
        if (slash <= 0 || slash == decoded.length() - 1) {
            throw new StorageException(
                            ErrorCode.InvalidArgument,
                            "Copy Source must mention the source bucket and key: sourcebucket/sourcekey; got '" + header
                                    + "'")
                    .with("ArgumentName", "x-amz-copy-source")
                    .with("ArgumentValue", header);
        }
        return new String[] {decoded.substring(0, slash), decoded.substring(slash + 1), versionId};
    }

    HttpResponse deleteObjects(S3Request r) {
        service.buckets().require(r.bucket());
        byte[] body = readSmallBody(r.http());
        Element root = Xml.parse(new ByteArrayInputStream(body), "Delete");
        boolean quiet = "true".equalsIgnoreCase(trim(Xml.childText(root, "Quiet")));
        List<Element> objects = Xml.children(root, "Object");
        if (objects.isEmpty()) {
            throw new StorageException(
                    ErrorCode.MalformedXML, "The XML you provided was not well-formed: <Delete> lists no <Object>");
        }
        if (objects.size() > MAX_DELETE_KEYS) {
            throw new StorageException(
                    ErrorCode.MalformedXML,
                    "The XML you provided lists " + objects.size() + " objects; DeleteObjects takes at most "
                            + MAX_DELETE_KEYS);
        }
        List<String[]> keys = new ArrayList<>();
        for (Element o : objects) {
            String key = Xml.childText(o, "Key");
            if (key == null) {
                throw new StorageException(
                        ErrorCode.MalformedXML, "The XML you provided was not well-formed: an <Object> has no <Key>");
            }
            String versionId = trim(Xml.childText(o, "VersionId"));
            keys.add(new String[] {key, versionId == null || versionId.isEmpty() ? null : versionId});
        }
        Xml xml = Xml.document("DeleteResult");
        for (String[] entry : keys) {
            String key = entry[0];
            String versionId = entry[1];
            try {
                if (key.isEmpty() || key.getBytes(StandardCharsets.UTF_8).length > WriteChecks.MAX_KEY_BYTES) {
                    throw new StorageException(
                            key.isEmpty() ? ErrorCode.InvalidArgument : ErrorCode.KeyTooLongError,
                            key.isEmpty() ? "the object key is empty" : "Your key is too long");
                }
                DeleteOutcome outcome =
                        service.writes().deleteObject(r.bucket(), key, versionId, bypassGovernance(r.http()));
                if (!quiet) {
                    xml.start("Deleted").element("Key", key).element("VersionId", versionId);
                    if (outcome.deleteMarker()) {
                        xml.element("DeleteMarker", true).element("DeleteMarkerVersionId", outcome.versionId());
                    }
                    xml.end();
                }
            } catch (StorageException e) {
                xml.start("Error")
                        .element("Key", key)
                        .element("VersionId", versionId)
                        .element("Code", e.code().name())
                        .element("Message", e.getMessage())
                        .end();
            }
        }
        return Xml.response(200, xml);
    }

    /** {@code x-amz-bypass-governance-retention: true}. */
    static boolean bypassGovernance(HttpRequest http) {
        String v = http.header("x-amz-bypass-governance-retention");
        return v != null && v.trim().equalsIgnoreCase("true");
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }

    /**
     * {@link #readSmallBody} for the requests S3 refuses without Content-MD5 (PutBucketCors, PutBucketLifecycleConfiguration,
     * PutObjectRetention, ...); the SDKs' newer flexible checksums stand in for it.
     */
    static byte[] readSmallBodyWithIntegrity(HttpRequest http) {
        boolean integrity = http.header("content-md5") != null || http.header("x-amz-trailer") != null;
        for (String name : http.headers().keySet()) {
            integrity |= name.startsWith("x-amz-checksum-")
                    && !name.equals("x-amz-checksum-algorithm")
                    && !name.equals("x-amz-checksum-type");
        }
        if (!integrity) {
            throw new StorageException(
                    ErrorCode.InvalidRequest,
                    "Missing required header for this request: Content-MD5 (or an x-amz-checksum-* header)");
        }
        return readSmallBody(http);
    }

    /** Reads a small XML body and checks Content-MD5 and any x-amz-checksum-* header against it. */
    static byte[] readSmallBody(HttpRequest http) {
        byte[] body;
        try {
            body = http.body().readNBytes(Xml.MAX_REQUEST_BYTES + 1);
        } catch (IOException e) {
            throw new StorageException(
                    ErrorCode.IncompleteBody, "the request body could not be read: " + e.getMessage(), null, e);
        }
        if (body.length > Xml.MAX_REQUEST_BYTES) {
            throw new StorageException(
                    ErrorCode.MalformedXML, "the XML request body is larger than " + Xml.MAX_REQUEST_BYTES + " bytes");
        }
        String md5 = http.header("content-md5");
        if (md5 != null) {
            byte[] expected;
            try {
                expected = Base64.getDecoder().decode(md5.trim());
            } catch (IllegalArgumentException e) {
                expected = new byte[0];
            }
            if (expected.length != 16) {
                throw new StorageException(
                        ErrorCode.InvalidDigest, "The Content-MD5 you specified is not valid: '" + md5 + "'");
            }
            try {
                if (!MessageDigest.isEqual(
                        expected, MessageDigest.getInstance("MD5").digest(body))) {
                    throw new StorageException(
                            ErrorCode.BadDigest, "The Content-MD5 you specified did not match what we received.");
                }
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        for (ChecksumAlgorithm a : ChecksumAlgorithm.values()) {
            String sent = http.header(a.headerName());
            if (sent != null) {
                Hasher h = a.newHasher();
                h.update(body, 0, body.length);
                String computed = h.base64();
                if (!computed.equals(sent.trim())) {
                    throw new StorageException(
                            ErrorCode.BadDigest,
                            "The " + a + " you specified did not match the calculated checksum: sent " + sent
                                    + ", computed " + computed);
                }
            }
        }
        return body;
    }
}
