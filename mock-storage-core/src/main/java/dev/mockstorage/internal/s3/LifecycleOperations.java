package dev.mockstorage.internal.s3;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.http.HttpResponse;
import dev.mockstorage.internal.metadata.LifecycleRule;
import dev.mockstorage.internal.service.LifecycleRules;
import dev.mockstorage.internal.service.ObjectService;
import dev.mockstorage.internal.service.Tags;
import java.io.ByteArrayInputStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.w3c.dom.Element;

/**
 * Put/Get/DeleteBucketLifecycleConfiguration: the rules in and out as S3's XML (the rule's own
 * {@code <Prefix>}, or a {@code <Filter>} of one condition or an {@code <And>} of several, answered the way
 * they were given). Transitions to other storage classes are refused: there is no other storage class here.
 */
final class LifecycleOperations {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern(
                    "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final ObjectService service;

    LifecycleOperations(ObjectService service) {
        this.service = service;
    }

    HttpResponse get(S3Request r) {
        Xml xml = Xml.document("LifecycleConfiguration");
        for (LifecycleRule rule : service.lifecycle().configuration(r.bucket())) {
            xml.start("Rule").element("ID", rule.id());
            filter(xml, rule);
            xml.element("Status", rule.enabled() ? "Enabled" : "Disabled");
            if (rule.expirationDays() != null
                    || rule.expirationDate() != null
                    || rule.expiredObjectDeleteMarker() != null) {
                xml.start("Expiration")
                        .element("Days", rule.expirationDays())
                        .element("Date", rule.expirationDate())
                        .element("ExpiredObjectDeleteMarker", rule.expiredObjectDeleteMarker())
                        .end();
            }
            if (rule.noncurrentDays() != null) {
                xml.start("NoncurrentVersionExpiration")
                        .element("NoncurrentDays", rule.noncurrentDays())
                        .element("NewerNoncurrentVersions", rule.newerNoncurrentVersions())
                        .end();
            }
            if (rule.abortDays() != null) {
                xml.start("AbortIncompleteMultipartUpload")
                        .element("DaysAfterInitiation", rule.abortDays())
                        .end();
            }
            xml.end();
        }
        return Xml.response(200, xml);
    }

    private static void filter(Xml xml, LifecycleRule rule) {
        if (LifecycleRule.RULE_PREFIX.equals(rule.filterForm())) {
            xml.element("Prefix", rule.prefix() == null ? "" : rule.prefix());
            return;
        }
        xml.start("Filter");
        boolean and = LifecycleRule.AND.equals(rule.filterForm());
        if (and) {
            xml.start("And");
        }
        xml.element("Prefix", rule.prefix());
        for (Map.Entry<String, String> t : rule.tags().entrySet()) {
            xml.start("Tag")
                    .element("Key", t.getKey())
                    .element("Value", t.getValue())
                    .end();
        }
        xml.element("ObjectSizeGreaterThan", rule.sizeGreaterThan()).element("ObjectSizeLessThan", rule.sizeLessThan());
        if (and) {
            xml.end();
        }
        xml.end();
    }

    HttpResponse put(S3Request r) {
        service.buckets().require(r.bucket());
        CorsOperations.requireIntegrityHeader(r.http());
        byte[] body = ObjectOperations.readSmallBody(r.http()); // checks the Content-MD5 / checksum sent
        Element root = Xml.parse(new ByteArrayInputStream(body), "LifecycleConfiguration");
        List<LifecycleRule> rules = new ArrayList<>();
        for (Element rule : Xml.children(root, "Rule")) {
            rules.add(rule(rule));
        }
        service.lifecycle().setConfiguration(r.bucket(), rules);
        return HttpResponse.status(200);
    }

    HttpResponse delete(S3Request r) {
        service.lifecycle().deleteConfiguration(r.bucket());
        return HttpResponse.status(204);
    }

    private static LifecycleRule rule(Element rule) {
        for (String unsupported : List.of("Transition", "NoncurrentVersionTransition")) {
            if (!Xml.children(rule, unsupported).isEmpty()) {
                throw new StorageException(
                        ErrorCode.NotImplemented,
                        "mock-storage does not implement lifecycle <" + unsupported + ">: it has one storage class");
            }
        }
        String status = single(rule, "Status");
        if (!"Enabled".equals(status) && !"Disabled".equals(status)) {
            throw malformed("<Status> of a <Rule> must be Enabled or Disabled, not "
                    + (status == null ? "missing" : "'" + status + "'"));
        }
        String form;
        String prefix;
        Map<String, String> tags = Map.of();
        Long greater = null;
        Long less = null;
        Element filter = element(rule, "Filter");
        String rulePrefix = text(rule, "Prefix");
        if (filter != null && rulePrefix != null) {
            throw malformed("a <Rule> has a <Prefix> and a <Filter>: give one");
        }
        if (filter == null) {
            if (rulePrefix == null) {
                throw malformed("a <Rule> needs a <Filter> (or the older <Prefix>)");
            }
            form = LifecycleRule.RULE_PREFIX;
            prefix = rulePrefix;
        } else {
            Element and = element(filter, "And");
            Element conditions = and != null ? and : filter;
            prefix = text(conditions, "Prefix");
            tags = tags(conditions);
            greater = number(conditions, "ObjectSizeGreaterThan");
            less = number(conditions, "ObjectSizeLessThan");
            int count = (prefix != null ? 1 : 0) + tags.size() + (greater != null ? 1 : 0) + (less != null ? 1 : 0);
            if (and == null && count > 1) {
                throw malformed("a <Filter> of more than one condition needs <And>");
            }
            form = and != null ? LifecycleRule.AND : LifecycleRule.FILTER;
        }
        Integer days = null;
        String date = null;
        Boolean marker = null;
        Element expiration = element(rule, "Expiration");
        if (expiration != null) {
            days = integer(expiration, "Days");
            String d = text(expiration, "Date");
            date = d == null ? null : DATE.format(LifecycleRules.expirationDate(d));
            String m = text(expiration, "ExpiredObjectDeleteMarker");
            marker = m == null ? null : bool(m);
        }
        Integer noncurrentDays = null;
        Integer newer = null;
        Element noncurrent = element(rule, "NoncurrentVersionExpiration");
        if (noncurrent != null) {
            noncurrentDays = integer(noncurrent, "NoncurrentDays");
            newer = integer(noncurrent, "NewerNoncurrentVersions");
            if (noncurrentDays == null) {
                throw malformed("<NoncurrentVersionExpiration> needs <NoncurrentDays>");
            }
        }
        Integer abortDays = null;
        Element abort = element(rule, "AbortIncompleteMultipartUpload");
        if (abort != null) {
            abortDays = integer(abort, "DaysAfterInitiation");
            if (abortDays == null) {
                throw malformed("<AbortIncompleteMultipartUpload> needs <DaysAfterInitiation>");
            }
        }
        return new LifecycleRule(
                text(rule, "ID"),
                "Enabled".equals(status),
                form,
                prefix,
                tags,
                greater,
                less,
                days,
                date,
                marker,
                noncurrentDays,
                newer,
                abortDays);
    }

    private static Map<String, String> tags(Element parent) {
        List<String[]> pairs = new ArrayList<>();
        for (Element tag : Xml.children(parent, "Tag")) {
            String key = text(tag, "Key");
            String value = text(tag, "Value");
            if (key == null) {
                throw malformed("a <Tag> needs a <Key>");
            }
            pairs.add(new String[] {key, value == null ? "" : value});
        }
        return pairs.isEmpty() ? Map.of() : Tags.fromPairs(pairs, false);
    }

    private static Element element(Element parent, String name) {
        List<Element> found = Xml.children(parent, name);
        if (found.size() > 1) {
            throw malformed("more than one <" + name + "> in a <" + parent.getLocalName() + ">");
        }
        return found.isEmpty() ? null : found.get(0);
    }

    /** The text of the single child {@code name}; null when absent. An empty element is the empty string (a prefix of ""). */
    private static String text(Element parent, String name) {
        Element e = element(parent, name);
        return e == null ? null : e.getTextContent().trim();
    }

    private static String single(Element parent, String name) {
        String t = text(parent, name);
        return t == null || t.isEmpty() ? null : t;
    }

    private static Integer integer(Element parent, String name) {
        Long n = number(parent, name);
        if (n == null) {
            return null;
        }
        if (n > Integer.MAX_VALUE || n < Integer.MIN_VALUE) {
            throw new StorageException(ErrorCode.InvalidArgument, "<" + name + "> " + n + " is out of range");
        }
        return n.intValue();
    }

    private static Long number(Element parent, String name) {
        String t = single(parent, name);
        if (t == null) {
            return null;
        }
        try {
            return Long.valueOf(t);
        } catch (NumberFormatException e) {
            throw malformed("<" + name + "> must be a whole number, not '" + t + "'");
        }
    }

    private static boolean bool(String text) {
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw malformed("<ExpiredObjectDeleteMarker> must be true or false, not '" + text + "'");
        };
    }

    private static StorageException malformed(String what) {
        return new StorageException(
                ErrorCode.MalformedXML,
                "The XML you provided was not well-formed or did not validate against our published schema: " + what);
    }
}
