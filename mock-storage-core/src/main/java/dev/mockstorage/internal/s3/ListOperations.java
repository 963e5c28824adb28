package dev.mockstorage.internal.s3;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.http.HttpRequest;
import dev.mockstorage.internal.http.HttpResponse;
import dev.mockstorage.internal.http.PercentCodec;
import dev.mockstorage.internal.metadata.ObjectRecord;
import dev.mockstorage.internal.service.ListPage;
import dev.mockstorage.internal.service.ObjectService;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.UnaryOperator;

/** ListObjects (v1) and ListObjectsV2. */
final class ListOperations {
    private static final int MAX_KEYS = 1000;

    private final ObjectService service;
    private final Owner owner;

    ListOperations(ObjectService service, Owner owner) {
        this.service = service;
        this.owner = owner;
    }

    HttpResponse listV1(S3Request r) {
        HttpRequest http = r.http();
        String prefix = orEmpty(http.queryParameter("prefix"));
        String delimiter = emptyToNull(http.queryParameter("delimiter"));
        String marker = emptyToNull(http.queryParameter("marker"));
        int maxKeys = maxKeys(http);
        UnaryOperator<String> enc = encoder(http);
        ListPage page = service.listings().list(r.bucket(), prefix, delimiter, marker, maxKeys);

        Xml xml = Xml.document("ListBucketResult")
                .element("Name", r.bucket())
                .element(
                        "Prefix",
                        prefix) // as sent, even with encoding-type=url: S3 encodes v1's Prefix only in CommonPrefixes
                .element("Marker", enc.apply(orEmpty(marker)))
                .element("MaxKeys", maxKeys)
                .element("Delimiter", delimiter == null ? null : enc.apply(delimiter))
                .element("IsTruncated", page.truncated())
                .element("NextMarker", page.truncated() ? enc.apply(page.lastEntry()) : null)
                .element("EncodingType", http.queryParameter("encoding-type"));
        contents(xml, page, enc, true);
        return Xml.response(200, xml);
    }

    HttpResponse listV2(S3Request r) {
        HttpRequest http = r.http();
        String prefix = orEmpty(http.queryParameter("prefix"));
        String delimiter = emptyToNull(http.queryParameter("delimiter"));
        String token = http.queryParameter("continuation-token");
        String startAfter = emptyToNull(http.queryParameter("start-after"));
        int maxKeys = maxKeys(http);
        UnaryOperator<String> enc = encoder(http);
        String after = token != null ? decodeToken(token) : startAfter;
        ListPage page = service.listings().list(r.bucket(), prefix, delimiter, after, maxKeys);

        Xml xml = Xml.document("ListBucketResult")
                .element("Name", r.bucket())
                .element("Prefix", enc.apply(prefix))
                .element(
                        "KeyCount",
                        page.objects().size() + page.commonPrefixes().size())
                .element("MaxKeys", maxKeys)
                .element("Delimiter", delimiter == null ? null : enc.apply(delimiter))
                .element("IsTruncated", page.truncated())
                .element("ContinuationToken", token)
                .element("NextContinuationToken", page.truncated() ? encodeToken(page.lastEntry()) : null)
                .element("StartAfter", startAfter == null ? null : enc.apply(startAfter))
                .element("EncodingType", http.queryParameter("encoding-type"));
        contents(xml, page, enc, "true".equals(http.queryParameter("fetch-owner")));
        return Xml.response(200, xml);
    }

    /** A listed object's ChecksumAlgorithm and ChecksumType, when it has a checksum (listings and ListObjectVersions). */
    static void checksumElements(Xml xml, ObjectRecord o) {
        o.checksums().entrySet().stream()
                .findFirst()
                .ifPresent(c -> xml.element("ChecksumAlgorithm", c.getKey())
                        // a checksum of part checksums ends with -N (base64 has no '-'), as on HEAD
                        .element("ChecksumType", c.getValue().indexOf('-') > 0 ? "COMPOSITE" : "FULL_OBJECT"));
    }

    private void contents(Xml xml, ListPage page, UnaryOperator<String> enc, boolean withOwner) {
        for (ObjectRecord o : page.objects()) {
            xml.start("Contents")
                    .element("Key", enc.apply(o.key()))
                    .element("LastModified", HttpDates.xml(o.lastModified()))
                    .element("ETag", ObjectHeaders.quotedEtag(o))
                    .element("Size", o.size())
                    .element("StorageClass", "STANDARD");
            ListOperations.checksumElements(xml, o);
            if (withOwner) {
                owner.write(xml, "Owner");
            }
            xml.end();
        }
        for (String p : page.commonPrefixes()) {
            xml.start("CommonPrefixes").element("Prefix", enc.apply(p)).end();
        }
    }

    static int maxKeys(HttpRequest http) {
        String v = http.queryParameter("max-keys");
        if (v == null) {
            return MAX_KEYS;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return Math.min(n, MAX_KEYS);
        } catch (NumberFormatException e) {
            throw new StorageException(
                            ErrorCode.InvalidArgument,
                            "Provided max-keys not an integer or within integer range: '" + v + "'")
                    .with("ArgumentName", "max-keys")
                    .with("ArgumentValue", v);
        }
    }

    /** {@code encoding-type=url}: keys, prefixes and delimiters are percent-encoded in the answer. */
    static UnaryOperator<String> encoder(HttpRequest http) {
        String type = http.queryParameter("encoding-type");
        if (type == null) {
            return s -> s;
        }
        if (!type.equals("url")) {
            throw new StorageException(
                            ErrorCode.InvalidArgument,
                            "Invalid Encoding Method specified in Request: '" + type + "' (only 'url')")
                    .with("ArgumentName", "encoding-type")
                    .with("ArgumentValue", type);
        }
        return s -> s == null ? null : PercentCodec.encode(s, true);
    }

    private static String encodeToken(String lastEntry) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastEntry.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeToken(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new StorageException(
                            ErrorCode.InvalidArgument, "The continuation token provided is incorrect: '" + token + "'")
                    .with("ArgumentName", "continuation-token");
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
