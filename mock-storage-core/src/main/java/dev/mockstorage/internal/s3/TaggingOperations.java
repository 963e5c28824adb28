package dev.mockstorage.internal.s3;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.http.HttpResponse;
import dev.mockstorage.internal.metadata.MultipartLayout;
import dev.mockstorage.internal.metadata.ObjectRecord;
import dev.mockstorage.internal.service.MultipartService;
import dev.mockstorage.internal.service.ObjectService;
import dev.mockstorage.internal.service.Tags;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.w3c.dom.Element;

/** Put/Get/DeleteObjectTagging, Put/Get/DeleteBucketTagging, GetObjectAttributes. */
final class TaggingOperations {
    private static final Set<String> ATTRIBUTES =
            Set.of("ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize");
    private static final int MAX_PARTS = 1000;

    private final ObjectService service;
    private final MultipartService multipart;

    TaggingOperations(ObjectService service, MultipartService multipart) {
        this.service = service;
        this.multipart = multipart;
    }

    HttpResponse getObjectTagging(S3Request r) {
        ObjectRecord object = ObjectOperations.target(service, r);
        return Xml.response(200, tagging(object.tags()))
                .header("x-amz-version-id", ObjectOperations.versionHeader(service, object));
    }

    HttpResponse putObjectTagging(S3Request r) {
        Map<String, String> tags = readTagging(r, false);
        ObjectRecord object =
                currentTarget(r); // NoSuchKey, and read-through of a third-party object, before the update
        service.writes().setObjectTags(r.bucket(), r.key(), tags);
        return HttpResponse.status(200).header("x-amz-version-id", ObjectOperations.versionHeader(service, object));
    }

    HttpResponse deleteObjectTagging(S3Request r) {
        ObjectRecord object = currentTarget(r);
        service.writes().setObjectTags(r.bucket(), r.key(), Map.of());
        return HttpResponse.status(204).header("x-amz-version-id", ObjectOperations.versionHeader(service, object));
    }

    /**
     * The object whose tags Put/DeleteObjectTagging change: the current version; with {@code ?versionId=} only when
     * that is the current one (tags of noncurrent versions are read-only here: 501 naming the case, never a wrong success).
     */
    private ObjectRecord currentTarget(S3Request r) {
        ObjectRecord object = ObjectOperations.target(service, r);
        if (r.http().queryParameter("versionId") != null) {
            ObjectRecord current = service.readThrough().headOrFetch(r.bucket(), r.key());
            if (!current.s3VersionId().equals(object.s3VersionId())) {
                throw new StorageException(
                        ErrorCode.NotImplemented,
                        "mock-storage does not implement changing the tags of a " + "noncurrent version ("
                                + r.http().method() + " " + r.resource() + "?"
                                + r.http().rawQuery() + ")");
            }
        }
        return object;
    }

    HttpResponse getBucketTagging(S3Request r) {
        return Xml.response(200, tagging(service.settings().bucketTags(r.bucket())));
    }

    HttpResponse putBucketTagging(S3Request r) {
        service.buckets().require(r.bucket());
        service.settings().setBucketTags(r.bucket(), readTagging(r, true));
        return HttpResponse.status(204);
    }

    HttpResponse deleteBucketTagging(S3Request r) {
        service.settings().setBucketTags(r.bucket(), Map.of());
        return HttpResponse.status(204);
    }

    private static Xml tagging(Map<String, String> tags) {
        Xml xml = Xml.document("Tagging").start("TagSet");
        tags.forEach(
                (k, v) -> xml.start("Tag").element("Key", k).element("Value", v).end());
        return xml.end();
    }

    private static Map<String, String> readTagging(S3Request r, boolean bucket) {
        byte[] body = ObjectOperations.readSmallBody(r.http());
        Element root = Xml.parse(new ByteArrayInputStream(body), "Tagging");
        List<Element> sets = Xml.children(root, "TagSet");
        if (sets.size() != 1) {
            throw new StorageException(
                    ErrorCode.MalformedXML, "The XML you provided was not well-formed: <Tagging> needs one <TagSet>");
        }
        List<String[]> pairs = new ArrayList<>();
        for (Element tag : Xml.children(sets.get(0), "Tag")) {
            String key = Xml.childText(tag, "Key");
            String value = Xml.childText(tag, "Value");
            if (key == null || value == null) {
                throw new StorageException(
                        ErrorCode.MalformedXML,
                        "The XML you provided was not well-formed: a <Tag> needs <Key> and <Value>");
            }
            pairs.add(new String[] {key, value});
        }
        return Tags.fromPairs(pairs, bucket);
    }

    HttpResponse objectAttributes(S3Request r) {
        String header = r.http().header("x-amz-object-attributes");
        Set<String> wanted = new LinkedHashSet<>();
        if (header != null) {
            for (String a : header.split(",")) {
                String name = a.trim();
                if (name.isEmpty()) {
                    continue;
                }
                String known = ATTRIBUTES.stream()
                        .filter(x -> x.equalsIgnoreCase(name))
                        .findFirst()
                        .orElseThrow(() -> new StorageException(
                                        ErrorCode.InvalidArgument,
                                        "Invalid attribute name specified: " + name
                                                + " (ETag, Checksum, ObjectParts, StorageClass, ObjectSize)")
                                .with("ArgumentName", "x-amz-object-attributes")
                                .with("ArgumentValue", header));
                wanted.add(known);
            }
        }
        if (wanted.isEmpty()) {
            throw new StorageException(
                            ErrorCode.InvalidArgument,
                            "The x-amz-object-attributes header specifying the attributes to be "
                                    + "retrieved is either missing or empty")
                    .with("ArgumentName", "x-amz-object-attributes");
        }
        ObjectRecord object = ObjectOperations.target(service, r);
        Xml xml = Xml.document("GetObjectAttributesResponse");
        if (wanted.contains("ETag")) {
            xml.element("ETag", object.etag());
        }
        if (wanted.contains("Checksum") && !object.checksums().isEmpty()) {
            xml.start("Checksum");
            String type = null;
            for (Map.Entry<String, String> c : object.checksums().entrySet()) {
                xml.element("Checksum" + c.getKey().toUpperCase(Locale.ROOT), c.getValue());
                type = c.getValue().indexOf('-') > 0 ? "COMPOSITE" : type == null ? "FULL_OBJECT" : type;
            }
            xml.element("ChecksumType", type).end();
        }
        if (wanted.contains("ObjectParts")) {
            Optional<MultipartLayout> layout = multipart.layout(object);
            if (layout.isPresent()) {
                parts(xml, layout.get().partSizes(), r);
            }
        }
        if (wanted.contains("StorageClass")) {
            xml.element("StorageClass", "STANDARD");
        }
        if (wanted.contains("ObjectSize")) {
            xml.element("ObjectSize", object.size());
        }
        return Xml.response(200, xml)
                .header("Last-Modified", HttpDates.header(object.lastModified()))
                .header("x-amz-version-id", ObjectOperations.versionHeader(service, object));
    }

    private static void parts(Xml xml, List<Long> sizes, S3Request r) {
        int marker = intHeader(r, "x-amz-part-number-marker", 0);
        int max = Math.min(intHeader(r, "x-amz-max-parts", MAX_PARTS), MAX_PARTS);
        int last = Math.min(sizes.size(), marker + max);
        // the wire name of TotalPartsCount is PartsCount
        xml.start("ObjectParts")
                .element("PartsCount", sizes.size())
                .element("PartNumberMarker", marker)
                .element("NextPartNumberMarker", last)
                .element("MaxParts", max)
                .element("IsTruncated", last < sizes.size());
        for (int n = marker + 1; n <= last; n++) {
            xml.start("Part")
                    .element("PartNumber", n)
                    .element("Size", sizes.get(n - 1))
                    .end();
        }
        xml.end();
    }

    private static int intHeader(S3Request r, String name, int absent) {
        String v = r.http().header(name);
        if (v == null) {
            return absent;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new StorageException(ErrorCode.InvalidArgument, name + " must be a non-negative integer: " + v)
                .with("ArgumentName", name)
                .with("ArgumentValue", v);
    }
}
