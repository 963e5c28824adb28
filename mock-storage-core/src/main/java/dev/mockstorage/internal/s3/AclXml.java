package dev.mockstorage.internal.s3;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.http.HttpRequest;
import dev.mockstorage.internal.metadata.Grant;
import dev.mockstorage.internal.service.Acls;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.w3c.dom.Element;

/**
 * S3 ACLs on the wire: the {@code x-amz-acl} and {@code x-amz-grant-*} request headers, and the
 * {@code AccessControlPolicy} document read and written. A grant to the owner's canonical id is the owner's.
 */
final class AclXml {
    private static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";
    /** Grant header -> permission, in the order grants are listed. */
    private static final Map<String, String> GRANT_HEADERS = new LinkedHashMap<>();
    /** One grantee of a grant header: {@code id="..."}, {@code uri="..."} or {@code emailAddress="..."}, then a comma or the end. */
    private static final Pattern GRANTEE =
            Pattern.compile("\\s*(id|uri|emailAddress)\\s*=\\s*(?:\"([^\"]*)\"|([^,\\s\"]+))\\s*(,|$)");

    static {
        GRANT_HEADERS.put("x-amz-grant-full-control", Acls.FULL_CONTROL);
        GRANT_HEADERS.put("x-amz-grant-read", Acls.READ);
        GRANT_HEADERS.put("x-amz-grant-read-acp", Acls.READ_ACP);
        GRANT_HEADERS.put("x-amz-grant-write", Acls.WRITE);
        GRANT_HEADERS.put("x-amz-grant-write-acp", Acls.WRITE_ACP);
    }

    private AclXml() {}

    /**
     * The grants a request's headers ask for: a canned ACL or grant headers (both: {@code InvalidRequest}); null
     * when it has neither. {@code x-amz-grant-write} is a bucket's only.
     */
    static List<Grant> fromHeaders(HttpRequest http, Owner owner, boolean bucket) {
        List<Grant> grants = new ArrayList<>();
        boolean any = false;
        for (Map.Entry<String, String> h : GRANT_HEADERS.entrySet()) {
            String value = http.header(h.getKey());
            if (value == null || (!bucket && h.getValue().equals(Acls.WRITE))) {
                continue;
            }
            any = true;
            grantees(h.getKey(), value, h.getValue(), owner, grants);
        }
        String canned = http.header("x-amz-acl");
        if (canned != null) {
            if (any) {
                throw new StorageException(
                        ErrorCode.InvalidRequest, "Specifying both Canned ACLs and Header Grants is not allowed");
            }
            return Acls.canned(canned.trim());
        }
        return any ? List.copyOf(grants) : null;
    }

    private static void grantees(String header, String value, String permission, Owner owner, List<Grant> into) {
        Matcher m = GRANTEE.matcher(value);
        int at = 0;
        while (at < value.length()) {
            if (!m.find(at) || m.start() != at || (m.group(4).equals(",") && m.end() == value.length())) {
                throw new StorageException(
                                ErrorCode.InvalidArgument,
                                "Invalid grantee list in " + header + ": '" + value
                                        + "' (expected id=\"...\", uri=\"...\" or emailAddress=\"...\", comma separated)")
                        .with("ArgumentName", header)
                        .with("ArgumentValue", value);
            }
            String grantee = m.group(2) != null ? m.group(2) : m.group(3);
            into.add(grant(m.group(1), grantee, permission, owner));
            at = m.end();
        }
    }

    private static Grant grant(String type, String grantee, String permission, Owner owner) {
        return switch (type) {
            case "id" ->
                grantee.equals(owner.id()) ? Grant.owner(permission) : new Grant(Grant.Kind.USER, grantee, permission);
            case "uri" -> new Grant(Grant.Kind.GROUP, grantee, permission);
            default ->
                throw new StorageException(
                                ErrorCode.UnresolvableGrantByEmailAddress,
                                "The e-mail address you provided "
                                        + "does not match any account on record: " + grantee
                                        + " (mock-storage has one account, the access key "
                                        + owner.displayName() + "; grant by id or uri)")
                        .with("EmailAddress", grantee);
        };
    }

    /**
     * The grants of an {@code AccessControlPolicy} document. Its {@code Owner} must be the owner ({@code AccessDenied}
     * otherwise, {@code MalformedACLError} without one).
     */
    static List<Grant> fromXml(byte[] body, Owner owner) {
        Element root = Xml.parse(new ByteArrayInputStream(body), "AccessControlPolicy");
        List<Element> owners = Xml.children(root, "Owner");
        String ownerId = owners.size() == 1 ? Xml.single(owners.get(0), "ID") : null;
        if (ownerId == null) {
            throw malformed("<AccessControlPolicy> needs one <Owner> with an <ID>");
        }
        if (!ownerId.equals(owner.id())) {
            throw new StorageException(
                    ErrorCode.AccessDenied,
                    "Access Denied: the ACL's Owner " + ownerId + " is not the owner " + owner.id() + " ("
                            + owner.displayName() + ")");
        }
        List<Element> lists = Xml.children(root, "AccessControlList");
        if (lists.size() > 1) {
            throw malformed("more than one <AccessControlList>");
        }
        List<Grant> grants = new ArrayList<>();
        for (Element g : lists.isEmpty() ? List.<Element>of() : Xml.children(lists.get(0), "Grant")) {
            List<Element> grantees = Xml.children(g, "Grantee");
            String permission = Xml.single(g, "Permission");
            if (grantees.size() != 1 || permission == null) {
                throw malformed("each <Grant> needs one <Grantee> and a <Permission>");
            }
            Element grantee = grantees.get(0);
            String id = Xml.single(grantee, "ID");
            String uri = Xml.single(grantee, "URI");
            String email = Xml.single(grantee, "EmailAddress");
            if ((id != null ? 1 : 0) + (uri != null ? 1 : 0) + (email != null ? 1 : 0) != 1) {
                throw malformed("a <Grantee> names one <ID>, <URI> or <EmailAddress>");
            }
            grants.add(
                    id != null
                            ? grant("id", id, permission, owner)
                            : uri != null
                                    ? grant("uri", uri, permission, owner)
                                    : grant("emailAddress", email, permission, owner));
        }
        return List.copyOf(grants);
    }

    private static StorageException malformed(String why) {
        return new StorageException(
                ErrorCode.MalformedACLError,
                "The XML you provided was not well-formed or did not validate " + "against our published schema: "
                        + why);
    }

    /** The {@code AccessControlPolicy} of {@code grants} (null: none set, the owner's FULL_CONTROL). */
    static Xml toXml(Owner owner, List<Grant> grants) {
        Xml xml = Xml.document("AccessControlPolicy");
        owner.write(xml, "Owner").start("AccessControlList");
        for (Grant g : grants == null ? List.of(Grant.owner(Acls.FULL_CONTROL)) : grants) {
            xml.start("Grant");
            switch (g.kind()) {
                case OWNER ->
                    xml.start("Grantee", "xmlns:xsi", XSI, "xsi:type", "CanonicalUser")
                            .element("ID", owner.id())
                            .element("DisplayName", owner.displayName())
                            .end();
                case USER ->
                    xml.start("Grantee", "xmlns:xsi", XSI, "xsi:type", "CanonicalUser")
                            .element("ID", g.grantee())
                            .end();
                case GROUP ->
                    xml.start("Grantee", "xmlns:xsi", XSI, "xsi:type", "Group")
                            .element("URI", g.grantee())
                            .end();
            }
            xml.element("Permission", g.permission()).end();
        }
        return xml;
    }
}
