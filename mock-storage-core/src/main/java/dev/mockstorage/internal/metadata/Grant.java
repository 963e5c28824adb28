package dev.mockstorage.internal.metadata;

/**
 * One grant of an access control list (an S3 ACL of a bucket or object version), as stored. The owner is
 * not a stored fact but the server's configured access key, so a grant to the owner is {@link Kind#OWNER}
 * and is rendered with whatever owner the server has.
 *
 * @param kind       who is granted: the owner, another canonical user by id, or a predefined group by URI
 * @param grantee    the canonical user id ({@link Kind#USER}) or the group URI ({@link Kind#GROUP}); null for the owner
 * @param permission {@code FULL_CONTROL}, {@code READ}, {@code WRITE}, {@code READ_ACP} or {@code WRITE_ACP}
 */
public record Grant(Kind kind, String grantee, String permission) {
    /** Who a grant is for. */
    public enum Kind {
        OWNER,
        USER,
        GROUP
    }

    /** A grant to the owner. */
    public static Grant owner(String permission) {
        return new Grant(Kind.OWNER, null, permission);
    }
}
