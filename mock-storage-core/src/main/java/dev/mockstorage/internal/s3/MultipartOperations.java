package dev.mockstorage.internal.s3;

import dev.mockstorage.internal.checksum.ChecksumAlgorithm;
import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.http.HttpRequest;
import dev.mockstorage.internal.http.HttpResponse;
import dev.mockstorage.internal.metadata.ObjectRecord;
import dev.mockstorage.internal.metadata.PartRecord;
import dev.mockstorage.internal.metadata.UploadRecord;
import dev.mockstorage.internal.service.BlobGoneException;
import dev.mockstorage.internal.service.MultipartService;
import dev.mockstorage.internal.service.ObjectService;
import dev.mockstorage.internal.service.ObjectWrite;
import dev.mockstorage.internal.service.RequestedPart;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.w3c.dom.Element;

/**
 * CreateMultipartUpload, UploadPart, UploadPartCopy, CompleteMultipartUpload, AbortMultipartUpload,
 * ListParts and ListMultipartUploads.
 */
final class MultipartOperations {
    private static final int MAX_PARTS = 1000;
    private static final int MAX_UPLOADS = 1000;

    private final ObjectService service;
    private final MultipartService multipart;
    private final Owner owner;

    MultipartOperations(ObjectService service, MultipartService multipart, Owner owner) {
        this.service = service;
        this.multipart = multipart;
        this.owner = owner;
    }

    HttpResponse create(S3Request r) {
        HttpRequest http = r.http();
        ObjectWrite write =
                ObjectHeaders.write(http, r.bucket(), r.key()).withGrants(AclXml.fromHeaders(http, owner, false));
        if (write.lock() != null) {
            throw new StorageException(
                    ErrorCode.NotImplemented,
                    "mock-storage does not implement x-amz-object-lock-* on"
                            + " CreateMultipartUpload; the bucket's default retention applies to the completed object, and"
                            + " PutObjectRetention/PutObjectLegalHold set a lock afterwards");
        }
        String name = http.header("x-amz-checksum-algorithm");
        ChecksumAlgorithm algorithm = name == null
                ? null
                : ChecksumAlgorithm.fromName(name.trim())
                        .orElseThrow(() -> new StorageException(
                                ErrorCode.InvalidRequest,
                                "Checksum algorithm provided is unsupported: " + name
                                        + " (supported: CRC32, CRC32C, CRC64NVME, SHA1, SHA256)"));
        UploadRecord upload = multipart.create(write, algorithm, http.header("x-amz-checksum-type"));
        Xml xml = Xml.document("InitiateMultipartUploadResult")
                .element("Bucket", r.bucket())
                .element("Key", r.key())
                .element("UploadId", upload.uploadId());
        HttpResponse response = Xml.response(200, xml);
        if (upload.checksumAlgorithm() != null) {
            response.header("x-amz-checksum-algorithm", upload.checksumAlgorithm())
                    .header("x-amz-checksum-type", upload.checksumType());
        }
        return response;
    }

    HttpResponse uploadPart(S3Request r) {
        HttpRequest http = r.http();
        if (http.header("content-length") == null && http.header("transfer-encoding") == null) {
            throw new StorageException(
                    ErrorCode.MissingContentLength, "You must provide the Content-Length HTTP header.");
        }
        PartRecord part = multipart.uploadPart(
                r.bucket(),
                r.key(),
                http.queryParameter("uploadId"),
                partNumber(http),
                ObjectHeaders.write(http, r.bucket(), r.key()),
                http.body());
        HttpResponse response = HttpResponse.status(200).header("ETag", "\"" + part.etag() + "\"");
        part.checksums()
                .forEach((n, v) -> ChecksumAlgorithm.fromName(n).ifPresent(a -> response.header(a.headerName(), v)));
        return response;
    }

    HttpResponse uploadPartCopy(S3Request r) {
        HttpRequest http = r.http();
        String[] source = ObjectOperations.copySource(http.header("x-amz-copy-source"));
        int partNumber = partNumber(http);
        multipart.upload(r.bucket(), r.key(), http.queryParameter("uploadId"));
        return BlobGoneException.retrying(
                () -> ObjectOperations.copySourceRecord(service, source),
                ObjectRecord::blobId,
                src -> uploadPartCopy(r, source, partNumber, src));
    }

    private HttpResponse uploadPartCopy(S3Request r, String[] source, int partNumber, ObjectRecord src) {
        HttpRequest http = r.http();
        Conditions.evaluate(
                src,
                http.header("x-amz-copy-source-if-match"),
                http.header("x-amz-copy-source-if-unmodified-since"),
                http.header("x-amz-copy-source-if-none-match"),
                http.header("x-amz-copy-source-if-modified-since"),
                true);
        long first = 0;
        long length = src.size();
        String rangeHeader = http.header("x-amz-copy-source-range");
        if (rangeHeader != null) {
            ByteRange range = copyRange(rangeHeader, src.size());
            first = range.first();
            length = range.length();
        }
        PartRecord part = multipart.copyPart(
                r.bucket(), r.key(), http.queryParameter("uploadId"), partNumber, src, first, length);
        Xml xml = Xml.document("CopyPartResult")
                .element("LastModified", HttpDates.xml(part.lastModified()))
                .element("ETag", "\"" + part.etag() + "\"");
        part.checksums().forEach((name, value) -> xml.element("Checksum" + name, value));
        return Xml.response(200, xml)
                .header("x-amz-copy-source-version-id", ObjectOperations.versionHeader(service, src));
    }

    /** {@code bytes=first-last}, both given and inside the source, as S3 requires for a copy. */
    private static ByteRange copyRange(String header, long size) {
        Matcher m = Pattern.compile("bytes=(\\d+)-(\\d+)").matcher(header.trim());
        if (!m.matches()) {
            throw new StorageException(
                            ErrorCode.InvalidArgument,
                            "The x-amz-copy-source-range value must be of the form "
                                    + "bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy: "
                                    + header)
                    .with("ArgumentName", "x-amz-copy-source-range")
                    .with("ArgumentValue", header);
        }
        long first = Long.parseLong(m.group(1));
        long last = Long.parseLong(m.group(2));
        if (first > last) {
            throw new StorageException(
                    ErrorCode.InvalidRequest,
                    "The specified copy source range " + header + " is not satisfiable for a source of " + size
                            + " bytes");
        }
        if (last >= size) {
            throw new StorageException(
                            ErrorCode.InvalidRange,
                            "The requested range is not satisfiable: " + header + " reaches beyond the copy source of "
                                    + size + " bytes")
                    .with("RangeRequested", header);
        }
        return new ByteRange(first, last);
    }

    HttpResponse complete(S3Request r) {
        HttpRequest http = r.http();
        String uploadId =
                http.queryParameter("uploadId"); // in progress, or completed already (a retry): the service knows
        byte[] body = ObjectOperations.readSmallBody(http);
        if (body.length == 0) {
            throw new StorageException(
                    ErrorCode.MalformedXML,
                    "The XML you provided was not well-formed or did not validate "
                            + "against our published schema: CompleteMultipartUpload needs a <CompleteMultipartUpload> body listing the parts");
        }
        Element root = Xml.parse(new ByteArrayInputStream(body), "CompleteMultipartUpload");
        List<RequestedPart> parts = new ArrayList<>();
        for (Element p : Xml.children(root, "Part")) {
            String number = Xml.childText(p, "PartNumber");
            int n;
            try {
                n = Integer.parseInt(number == null ? "" : number.trim());
            } catch (NumberFormatException e) {
                throw new StorageException(
                        ErrorCode.MalformedXML,
                        "The XML you provided was not well-formed or did not validate "
                                + "against our published schema: PartNumber '" + number + "' is not a number");
            }
            Map<ChecksumAlgorithm, String> checksums = new EnumMap<>(ChecksumAlgorithm.class);
            for (ChecksumAlgorithm a : ChecksumAlgorithm.values()) {
                String v = Xml.childText(p, "Checksum" + a.name());
                if (v != null && !v.isBlank()) {
                    checksums.put(a, v.trim());
                }
            }
            parts.add(new RequestedPart(n, Xml.childText(p, "ETag"), checksums));
        }
        Map<ChecksumAlgorithm, String> fullObject = new EnumMap<>(ChecksumAlgorithm.class);
        for (ChecksumAlgorithm a : ChecksumAlgorithm.values()) {
            String v = http.header(a.headerName());
            if (v != null) {
                fullObject.put(a, v);
            }
        }
        ObjectRecord object =
                multipart.complete(r.bucket(), r.key(), uploadId, parts, fullObject, Conditions.write(r.http()));
        Xml xml = Xml.document("CompleteMultipartUploadResult")
                .element("Location", "/" + r.bucket() + "/" + r.key())
                .element("Bucket", r.bucket())
                .element("Key", r.key())
                .element("ETag", ObjectHeaders.quotedEtag(object));
        String type = null;
        for (Map.Entry<String, String> c : object.checksums().entrySet()) {
            xml.element("Checksum" + c.getKey(), c.getValue());
            type = c.getValue().indexOf('-') > 0 ? "COMPOSITE" : "FULL_OBJECT";
        }
        xml.element("ChecksumType", type);
        return Xml.response(200, xml).header("x-amz-version-id", object.versionId());
    }

    HttpResponse abort(S3Request r) {
        multipart.abort(r.bucket(), r.key(), r.http().queryParameter("uploadId"));
        return HttpResponse.status(204);
    }

    HttpResponse listParts(S3Request r) {
        HttpRequest http = r.http();
        UploadRecord upload = multipart.upload(r.bucket(), r.key(), http.queryParameter("uploadId"));
        int maxParts = limit(http, "max-parts", MAX_PARTS);
        int marker = intParameter(http, "part-number-marker", 0);
        List<PartRecord> parts = multipart.parts(upload.uploadId(), marker, maxParts + 1);
        boolean truncated = parts.size() > maxParts;
        if (truncated) {
            parts = parts.subList(0, maxParts);
        }
        UnaryOperator<String> enc = ListOperations.encoder(http);
        Xml xml = Xml.document("ListPartsResult")
                .element("Bucket", r.bucket())
                .element("Key", enc.apply(r.key()))
                .element("UploadId", upload.uploadId())
                .element("PartNumberMarker", marker)
                .element(
                        "NextPartNumberMarker",
                        parts.isEmpty() ? marker : parts.get(parts.size() - 1).partNumber())
                .element("MaxParts", maxParts)
                .element("IsTruncated", truncated)
                .element("EncodingType", http.queryParameter("encoding-type"));
        owner.write(xml, "Initiator");
        owner.write(xml, "Owner");
        xml.element("StorageClass", "STANDARD")
                .element("ChecksumAlgorithm", upload.checksumAlgorithm())
                .element("ChecksumType", upload.checksumType());
        for (PartRecord p : parts) {
            xml.start("Part")
                    .element("PartNumber", p.partNumber())
                    .element("LastModified", HttpDates.xml(p.lastModified()))
                    .element("ETag", "\"" + p.etag() + "\"")
                    .element("Size", p.size());
            p.checksums().forEach((name, value) -> xml.element("Checksum" + name, value));
            xml.end();
        }
        return Xml.response(200, xml);
    }

    HttpResponse listUploads(S3Request r) {
        HttpRequest http = r.http();
        String prefix = orEmpty(http.queryParameter("prefix"));
        String delimiter = emptyToNull(http.queryParameter("delimiter"));
        String keyMarker = emptyToNull(http.queryParameter("key-marker"));
        String uploadIdMarker = keyMarker == null ? null : emptyToNull(http.queryParameter("upload-id-marker"));
        int maxUploads = limit(http, "max-uploads", MAX_UPLOADS);
        UnaryOperator<String> enc = ListOperations.encoder(http);

        List<UploadRecord> uploads = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        String afterKey = keyMarker;
        String afterId = uploadIdMarker;
        String lastPrefix = null;
        boolean truncated = false;
        String nextKey = null;
        String nextId = null;
        int batch = Math.min(maxUploads + 1, 1000);
        outer:
        while (true) {
            List<UploadRecord> page = multipart.uploads(r.bucket(), prefix, afterKey, afterId, batch);
            for (UploadRecord u : page) {
                afterKey = u.key();
                afterId = u.uploadId();
                String rollUp = null;
                if (delimiter != null) {
                    int i = u.key().indexOf(delimiter, prefix.length());
                    if (i >= 0) {
                        rollUp = u.key().substring(0, i + delimiter.length());
                    }
                }
                if (rollUp != null && (rollUp.equals(lastPrefix) || keyMarker != null && rollUp.equals(keyMarker))) {
                    continue;
                }
                if (uploads.size() + prefixes.size() >= maxUploads) {
                    truncated = true;
                    break outer;
                }
                if (rollUp != null) {
                    prefixes.add(rollUp);
                    lastPrefix = rollUp;
                    nextKey = rollUp;
                    nextId = null;
                } else {
                    uploads.add(u);
                    nextKey = u.key();
                    nextId = u.uploadId();
                }
            }
            if (page.size() < batch) {
                break;
            }
            if (lastPrefix != null && afterKey.startsWith(lastPrefix)) {
                afterKey = lastPrefix
                        + Character.toString(Character.MAX_CODE_POINT); // skip the rest of a rolled-up prefix
                afterId = null;
            }
        }
        Xml xml = Xml.document("ListMultipartUploadsResult")
                .element("Bucket", r.bucket())
                .element("KeyMarker", enc.apply(orEmpty(keyMarker)))
                .element("UploadIdMarker", orEmpty(uploadIdMarker))
                .element("NextKeyMarker", truncated ? enc.apply(nextKey) : null)
                .element("NextUploadIdMarker", truncated ? orEmpty(nextId) : null)
                .element("Delimiter", delimiter == null ? null : enc.apply(delimiter))
                .element("Prefix", enc.apply(prefix))
                .element("MaxUploads", maxUploads)
                .element("IsTruncated", truncated)
                .element("EncodingType", http.queryParameter("encoding-type"));
        for (UploadRecord u : uploads) {
            xml.start("Upload").element("Key", enc.apply(u.key())).element("UploadId", u.uploadId());
            owner.write(xml, "Initiator");
            owner.write(xml, "Owner");
            xml.element("StorageClass", "STANDARD")
                    .element("Initiated", HttpDates.xml(u.initiated()))
                    .element("ChecksumAlgorithm", u.checksumAlgorithm())
                    .element("ChecksumType", u.checksumType())
                    .end();
        }
        for (String p : prefixes) {
            xml.start("CommonPrefixes").element("Prefix", enc.apply(p)).end();
        }
        return Xml.response(200, xml);
    }

    private static int partNumber(HttpRequest http) {
        String v = http.queryParameter("partNumber");
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new StorageException(
                            ErrorCode.InvalidArgument,
                            "Part number must be an integer between 1 and " + MultipartService.MAX_PART_NUMBER
                                    + ", inclusive")
                    .with("ArgumentName", "partNumber")
                    .with("ArgumentValue", v);
        }
    }

    private static int limit(HttpRequest http, String name, int max) {
        int v = intParameter(http, name, max);
        if (v < 0) {
            throw new StorageException(
                            ErrorCode.InvalidArgument,
                            "Argument " + name + " must be an integer between 0 and 2147483647")
                    .with("ArgumentName", name)
                    .with("ArgumentValue", http.queryParameter(name));
        }
        return Math.min(v, max);
    }

    private static int intParameter(HttpRequest http, String name, int absent) {
        String v = http.queryParameter(name);
        if (v == null || v.isEmpty()) {
            return absent;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new StorageException(
                            ErrorCode.InvalidArgument,
                            "Provided " + name + " not an integer or within integer range: " + v)
                    .with("ArgumentName", name)
                    .with("ArgumentValue", v);
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
