package dev.mockstorage.internal.s3;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The server's one account, which owns every bucket and object: its configured access key. S3 names an
 * owner by a canonical user id (64 hex digits) and a display name: here the SHA-256 of the access key in hex,
 * and the access key.
 */
record Owner(String id, String displayName) {
    static Owner of(String accessKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(accessKey.getBytes(StandardCharsets.UTF_8));
            return new Owner(HexFormat.of().formatHex(digest), accessKey);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code <element><ID>..</ID><DisplayName>..</DisplayName></element>}. */
    Xml write(Xml xml, String element) {
        return xml.start(element)
                .element("ID", id)
                .element("DisplayName", displayName)
                .end();
    }
}
