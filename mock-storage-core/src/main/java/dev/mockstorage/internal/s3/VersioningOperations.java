package dev.mockstorage.internal.s3;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.http.HttpRequest;
import dev.mockstorage.internal.http.HttpResponse;
import dev.mockstorage.internal.metadata.BucketRecord;
import dev.mockstorage.internal.metadata.ObjectRecord;
import dev.mockstorage.internal.metadata.ObjectVersion;
import dev.mockstorage.internal.service.ObjectService;
import dev.mockstorage.internal.service.VersionPage;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.function.UnaryOperator;
import org.w3c.dom.Element;

/** PutBucketVersioning, GetBucketVersioning, ListObjectVersions. */
final class VersioningOperations {
    private final ObjectService service;
    private final Owner owner;

    VersioningOperations(ObjectService service, Owner owner) {
        this.service = service;
        this.owner = owner;
    }

    HttpResponse getBucketVersioning(S3Request r) {
        String status = service.buckets().versioning(r.bucket());
        // a never-versioned bucket answers an empty configuration, as S3
        return Xml.response(200, Xml.document("VersioningConfiguration").element("Status", status));
    }

    HttpResponse putBucketVersioning(S3Request r) {
        service.buckets().require(r.bucket());
        byte[] body = ObjectOperations.readSmallBody(r.http());
        Element root = Xml.parse(new ByteArrayInputStream(body), "VersioningConfiguration");
        String mfaDelete = trim(Xml.childText(root, "MfaDelete"));
        if (mfaDelete != null && !mfaDelete.equals("Disabled")) {
            if (mfaDelete.equals("Enabled")) {
                throw new StorageException(
                        ErrorCode.NotImplemented,
                        "mock-storage does not implement MFA delete"
                                + " (<MfaDelete>Enabled</MfaDelete>); leave it out or send Disabled");
            }
            throw new StorageException(
                    ErrorCode.MalformedXML,
                    "The XML you provided was not well-formed or did not validate "
                            + "against our published schema: MfaDelete must be Enabled or Disabled, not '" + mfaDelete
                            + "'");
        }
        String status = trim(Xml.childText(root, "Status"));
        if (!BucketRecord.ENABLED.equals(status) && !BucketRecord.SUSPENDED.equals(status)) {
            throw new StorageException(
                    ErrorCode.IllegalVersioningConfigurationException,
                    status == null
                            ? "The Versioning element must be specified: <Status>Enabled</Status> or <Status>Suspended</Status>"
                            : "The versioning status must be Enabled or Suspended, not '" + status + "'");
        }
        service.buckets().setVersioning(r.bucket(), status);
        return HttpResponse.status(200);
    }

    HttpResponse listObjectVersions(S3Request r) {
        HttpRequest http = r.http();
        String prefix = orEmpty(http.queryParameter("prefix"));
        String delimiter = emptyToNull(http.queryParameter("delimiter"));
        String keyMarker = emptyToNull(http.queryParameter("key-marker"));
        String versionIdMarker = emptyToNull(http.queryParameter("version-id-marker"));
        int maxKeys = ListOperations.maxKeys(http);
        UnaryOperator<String> enc = ListOperations.encoder(http);
        VersionPage page =
                service.listings().listVersions(r.bucket(), prefix, delimiter, keyMarker, versionIdMarker, maxKeys);

        Xml xml = Xml.document("ListVersionsResult")
                .element("Name", r.bucket())
                .element("Prefix", enc.apply(prefix))
                .element("KeyMarker", enc.apply(orEmpty(keyMarker)))
                .element("VersionIdMarker", orEmpty(versionIdMarker))
                .element("NextKeyMarker", page.truncated() ? enc.apply(page.nextKeyMarker()) : null)
                .element("NextVersionIdMarker", page.truncated() ? page.nextVersionIdMarker() : null)
                .element("MaxKeys", maxKeys)
                .element("Delimiter", delimiter == null ? null : enc.apply(delimiter))
                .element("IsTruncated", page.truncated())
                .element("EncodingType", http.queryParameter("encoding-type"));
        for (ObjectVersion v : page.versions()) {
            if (v.deleteMarker()) {
                xml.start("DeleteMarker")
                        .element("Key", enc.apply(v.key()))
                        .element("VersionId", v.versionId())
                        .element("IsLatest", v.latest())
                        .element("LastModified", HttpDates.xml(v.lastModified()));
                owner.write(xml, "Owner").end();
                continue;
            }
            ObjectRecord o = v.object();
            xml.start("Version")
                    .element("Key", enc.apply(v.key()))
                    .element("VersionId", v.versionId())
                    .element("IsLatest", v.latest())
                    .element("LastModified", HttpDates.xml(v.lastModified()))
                    .element("ETag", ObjectHeaders.quotedEtag(o))
                    .element("Size", o.size())
                    .element("StorageClass", "STANDARD");
            ListOperations.checksumElements(xml, o);
            owner.write(xml, "Owner").end();
        }
        List<String> prefixes = page.commonPrefixes();
        for (String p : prefixes) {
            xml.start("CommonPrefixes").element("Prefix", enc.apply(p)).end();
        }
        return Xml.response(200, xml);
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
