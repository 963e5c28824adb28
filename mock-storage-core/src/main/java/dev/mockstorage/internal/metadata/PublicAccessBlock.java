package dev.mockstorage.internal.metadata;

/**
 * A bucket's public access block configuration (S3's four switches; an element left out of the request is false).
 *
 * @param blockPublicAcls       refuse ACL writes that grant the public access
 * @param ignorePublicAcls      public ACLs grant nothing (kept and returned; ACLs are not enforced here)
 * @param blockPublicPolicy     refuse bucket policies that grant the public access
 * @param restrictPublicBuckets a public policy gives only AWS services and the owner access (kept and returned)
 */
public record PublicAccessBlock(
        boolean blockPublicAcls, boolean ignorePublicAcls, boolean blockPublicPolicy, boolean restrictPublicBuckets) {}
