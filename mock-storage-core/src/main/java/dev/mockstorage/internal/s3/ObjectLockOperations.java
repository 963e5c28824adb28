package dev.mockstorage.internal.s3;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.http.HttpResponse;
import dev.mockstorage.internal.metadata.ObjectLock;
import dev.mockstorage.internal.metadata.ObjectLockConfig;
import dev.mockstorage.internal.service.ObjectService;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.w3c.dom.Element;

/**
 * Get/PutObjectLockConfiguration of a bucket, Get/PutObjectRetention and Get/PutObjectLegalHold of a version
 * (the current one, or {@code ?versionId=}), as S3's XML.
 */
final class ObjectLockOperations {
    private final ObjectService service;

    ObjectLockOperations(ObjectService service) {
        this.service = service;
    }

    HttpResponse getConfiguration(S3Request r) {
        ObjectLockConfig c = service.objectLocks().configuration(r.bucket());
        Xml xml = Xml.document("ObjectLockConfiguration").element("ObjectLockEnabled", "Enabled");
        if (c.defaultMode() != null) {
            xml.start("Rule")
                    .start("DefaultRetention")
                    .element("Mode", c.defaultMode())
                    .element("Days", c.defaultDays())
                    .element("Years", c.defaultYears())
                    .end()
                    .end();
        }
        return Xml.response(200, xml);
    }

    HttpResponse putConfiguration(S3Request r) {
        service.buckets().require(r.bucket());
        Element root = parse(r, "ObjectLockConfiguration");
        String enabled = text(root, "ObjectLockEnabled");
        if (!"Enabled".equals(enabled)) {
            throw malformed(
                    "<ObjectLockEnabled> must be Enabled, not " + (enabled == null ? "missing" : "'" + enabled + "'"));
        }
        String mode = null;
        Integer days = null;
        Integer years = null;
        Element rule = single(root, "Rule");
        if (rule != null) {
            Element retention = single(rule, "DefaultRetention");
            if (retention == null) {
                throw malformed("a <Rule> needs a <DefaultRetention>");
            }
            mode = text(retention, "Mode");
            days = integer(retention, "Days");
            years = integer(retention, "Years");
        }
        service.objectLocks().setConfiguration(r.bucket(), new ObjectLockConfig(mode, days, years));
        return HttpResponse.status(200);
    }

    HttpResponse getRetention(S3Request r) {
        ObjectLock lock =
                service.objectLocks().retention(r.bucket(), r.key(), r.http().queryParameter("versionId"));
        return Xml.response(
                200,
                Xml.document("Retention")
                        .element("Mode", lock.mode())
                        .element("RetainUntilDate", HttpDates.xml(lock.retainUntil())));
    }

    HttpResponse putRetention(S3Request r) {
        Element root = parse(r, "Retention");
        String until = text(root, "RetainUntilDate");
        Instant retainUntil;
        try {
            retainUntil = until == null ? null : Instant.parse(until);
        } catch (DateTimeParseException e) {
            throw malformed("<RetainUntilDate> is not an ISO 8601 date: '" + until + "'");
        }
        String versionId = service.objectLocks()
                .setRetention(
                        r.bucket(),
                        r.key(),
                        r.http().queryParameter("versionId"),
                        text(root, "Mode"),
                        retainUntil,
                        ObjectOperations.bypassGovernance(r.http()));
        return HttpResponse.status(200).header("x-amz-version-id", versionId);
    }

    HttpResponse getLegalHold(S3Request r) {
        boolean on =
                service.objectLocks().legalHold(r.bucket(), r.key(), r.http().queryParameter("versionId"));
        return Xml.response(200, Xml.document("LegalHold").element("Status", on ? "ON" : "OFF"));
    }

    HttpResponse putLegalHold(S3Request r) {
        Element root = parse(r, "LegalHold");
        String status = text(root, "Status");
        if (status == null) {
            throw malformed("a <LegalHold> needs a <Status>");
        }
        String versionId = service.objectLocks()
                .setLegalHold(
                        r.bucket(), r.key(), r.http().queryParameter("versionId"), ObjectHeaders.legalHold(status));
        return HttpResponse.status(200).header("x-amz-version-id", versionId);
    }

    private static Element parse(S3Request r, String root) {
        CorsOperations.requireIntegrityHeader(r.http());
        byte[] body = ObjectOperations.readSmallBody(r.http()); // checks the Content-MD5 / checksum sent
        return Xml.parse(new ByteArrayInputStream(body), root);
    }

    private static Element single(Element parent, String name) {
        List<Element> found = Xml.children(parent, name);
        if (found.size() > 1) {
            throw malformed("more than one <" + name + ">");
        }
        return found.isEmpty() ? null : found.get(0);
    }

    private static String text(Element parent, String name) {
        Element e = single(parent, name);
        String t = e == null ? null : e.getTextContent().trim();
        return t == null || t.isEmpty() ? null : t;
    }

    private static Integer integer(Element parent, String name) {
        String t = text(parent, name);
        try {
            return t == null ? null : Integer.valueOf(t);
        } catch (NumberFormatException e) {
            throw new StorageException(
                    ErrorCode.InvalidArgument, "<" + name + "> must be a whole number, not '" + t + "'");
        }
    }

    private static StorageException malformed(String what) {
        return new StorageException(
                ErrorCode.MalformedXML,
                "The XML you provided was not well-formed or did not validate against our published schema: " + what);
    }
}
