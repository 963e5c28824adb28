package dev.mockstorage.internal.service;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.metadata.Grant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * S3's access control lists: what the canned ACLs grant, what a grant may hold, and which ACLs count as
 * public (for a public access block) or as nothing beyond the owner (all a bucket with
 * {@code BucketOwnerEnforced} ownership accepts). There is one account, the server's access key: it owns
 * every bucket and object, so "the bucket owner" of a canned ACL is the owner too. ACLs are stored and
 * answered, never enforced: any request may still do anything (in strict mode: any correctly signed one).
 */
public final class Acls {
    /** The ownership a bucket with ACLs disabled has. */
    public static final String BUCKET_OWNER_ENFORCED = "BucketOwnerEnforced";
    /** The {@code ObjectOwnership} values. */
    public static final Set<String> OBJECT_OWNERSHIPS =
            Set.of("BucketOwnerPreferred", "ObjectWriter", BUCKET_OWNER_ENFORCED);

    public static final String FULL_CONTROL = "FULL_CONTROL";
    public static final String READ = "READ";
    public static final String WRITE = "WRITE";
    public static final String READ_ACP = "READ_ACP";
    public static final String WRITE_ACP = "WRITE_ACP";
    /** The permissions a grant may give. */
    public static final Set<String> PERMISSIONS = Set.of(FULL_CONTROL, READ, WRITE, READ_ACP, WRITE_ACP);

    public static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
    public static final String AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
    public static final String LOG_DELIVERY = "http://acs.amazonaws.com/groups/s3/LogDelivery";
    /** The predefined groups a grant may name. */
    public static final Set<String> GROUPS = Set.of(ALL_USERS, AUTHENTICATED_USERS, LOG_DELIVERY);

    private Acls() {}

    /**
     * The grants of a canned ACL ({@code x-amz-acl}), as S3 expands it for one account.
     *
     * @throws StorageException InvalidArgument for a name S3 does not know
     */
    public static List<Grant> canned(String name) {
        List<Grant> grants = new ArrayList<>(List.of(Grant.owner(FULL_CONTROL)));
        switch (name) {
            case "private", "bucket-owner-read", "bucket-owner-full-control", "aws-exec-read" -> {
                // the bucket owner is the owner; EC2's AMI bundle reader is not an account here
            }
            case "public-read" -> grants.add(group(ALL_USERS, READ));
            case "public-read-write" -> {
                grants.add(group(ALL_USERS, READ));
                grants.add(group(ALL_USERS, WRITE));
            }
            case "authenticated-read" -> grants.add(group(AUTHENTICATED_USERS, READ));
            case "log-delivery-write" -> {
                grants.add(group(LOG_DELIVERY, WRITE));
                grants.add(group(LOG_DELIVERY, READ_ACP));
            }
            default ->
                throw new StorageException(
                                ErrorCode.InvalidArgument,
                                "Invalid canned ACL: " + name
                                        + " (private, public-read, public-read-write, authenticated-read, aws-exec-read, bucket-owner-read, "
                                        + "bucket-owner-full-control, log-delivery-write)")
                        .with("ArgumentName", "x-amz-acl")
                        .with("ArgumentValue", name);
        }
        return List.copyOf(grants);
    }

    private static Grant group(String uri, String permission) {
        return new Grant(Grant.Kind.GROUP, uri, permission);
    }

    /**
     * Checks each grant: a known permission ({@code MalformedACLError} otherwise), a known group
     * ({@code InvalidArgument}), a user id.
     *
     * @return the grants, unmodifiable
     */
    public static List<Grant> validate(List<Grant> grants) {
        for (Grant g : grants) {
            if (g.permission() == null || !PERMISSIONS.contains(g.permission())) {
                throw new StorageException(
                        ErrorCode.MalformedACLError,
                        "The XML you provided was not well-formed or did not "
                                + "validate against our published schema: unknown permission " + g.permission() + " ("
                                + PERMISSIONS + ")");
            }
            if (g.kind() == Grant.Kind.GROUP && !GROUPS.contains(g.grantee())) {
                throw new StorageException(ErrorCode.InvalidArgument, "Invalid group uri: " + g.grantee())
                        .with("ArgumentName", "uri")
                        .with("ArgumentValue", g.grantee());
            }
            if (g.kind() == Grant.Kind.USER
                    && (g.grantee() == null || g.grantee().isBlank())) {
                throw new StorageException(
                                ErrorCode.InvalidArgument, "Invalid id: a canonical user grantee needs an id")
                        .with("ArgumentName", "id");
            }
        }
        return List.copyOf(grants);
    }

    /** True when a grant gives the AllUsers or AuthenticatedUsers group anything, as S3's public access block counts it. */
    public static boolean isPublic(List<Grant> grants) {
        return grants.stream()
                .anyMatch(g -> g.kind() == Grant.Kind.GROUP
                        && (ALL_USERS.equals(g.grantee()) || AUTHENTICATED_USERS.equals(g.grantee())));
    }

    /** True when the grants give nobody but the owner anything, and the owner full control: the only ACL ACLs-disabled buckets take. */
    public static boolean ownerFullControlOnly(List<Grant> grants) {
        return grants.stream().allMatch(g -> g.kind() == Grant.Kind.OWNER && FULL_CONTROL.equals(g.permission()));
    }

    /** CreateBucket's ACL and ownership checked together: ACLs that grant others do not go with BucketOwnerEnforced. */
    static void checkCreation(BucketCreation creation) {
        if (creation.objectOwnership() != null) {
            checkOwnership(creation.objectOwnership());
        }
        if (creation.grants() != null) {
            validate(creation.grants());
            if (BUCKET_OWNER_ENFORCED.equals(creation.objectOwnership()) && !ownerFullControlOnly(creation.grants())) {
                throw new StorageException(
                        ErrorCode.InvalidBucketAclWithObjectOwnership,
                        "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting");
            }
        }
    }

    /** {@code InvalidArgument} unless {@code ownership} is one of {@link #OBJECT_OWNERSHIPS}. */
    static void checkOwnership(String ownership) {
        if (!OBJECT_OWNERSHIPS.contains(ownership)) {
            throw new StorageException(
                            ErrorCode.InvalidArgument,
                            "Invalid ObjectOwnership: " + ownership + " " + OBJECT_OWNERSHIPS)
                    .with("ArgumentName", "ObjectOwnership")
                    .with("ArgumentValue", ownership);
        }
    }
}
