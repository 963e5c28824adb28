package dev.mockstorage.internal.error;

/**
 * The one error vocabulary of the server: each constant is an S3 error code with its HTTP status
 * and S3's own default message. The S3 API renders it as S3 error XML, the admin API as JSON.
 */
public enum ErrorCode {
    AccessDenied(403, "Access Denied"),
    /** A CORS preflight ({@code OPTIONS}) the bucket's CORS rules do not allow. */
    AccessForbidden(403, "CORSResponse: This CORS request is not allowed."),
    /** A CORS preflight without {@code Origin} or with a bad {@code Access-Control-Request-Method}. */
    BadRequest(400, "Bad Request"),
    // auth: strict signature mode
    AuthorizationHeaderMalformed(400, "The authorization header you provided is invalid."),
    AuthorizationQueryParametersError(400, "Error parsing the X-Amz-Credential parameter."),
    BadDigest(400, "The Content-MD5 or checksum value that you specified did not match what the server received."),
    BucketAlreadyExists(409, "The requested bucket name is not available."),
    BucketAlreadyOwnedByYou(409, "Your previous request to create the named bucket succeeded and you already own it."),
    BucketNotEmpty(409, "The bucket you tried to delete is not empty."),
    /** A conditional write whose condition held when it started and no longer did when it committed: another write won. */
    ConditionalRequestConflict(
            409,
            "A conflicting operation occurred. If using PutObject you can retry the request. If using "
                    + "multipart upload you should initiate another CreateMultipartUpload request and re-upload each part."),
    EntityTooLarge(400, "Your proposed upload exceeds the maximum allowed size."),
    EntityTooSmall(400, "Your proposed upload is smaller than the minimum allowed object size."),
    /** PutBucketVersioning with a status other than Enabled or Suspended, or none. */
    IllegalVersioningConfigurationException(
            400, "Indicates that the versioning configuration specified in the request is invalid."),
    IncompleteBody(400, "You did not provide the number of bytes specified by the Content-Length HTTP header."),
    IncompleteSignature(400, "The request signature does not conform to AWS standards."),
    InternalError(500, "We encountered an internal error. Please try again."),
    InvalidAccessKeyId(403, "The AWS Access Key Id you provided does not exist in our records."),
    InvalidArgument(400, "Invalid Argument"),
    InvalidBucketName(400, "The specified bucket is not valid."),
    InvalidDigest(400, "The Content-MD5 you specified is not valid."),
    /** PutObjectLockConfiguration without versioning Enabled; PutBucketVersioning Suspended with object lock enabled. */
    InvalidBucketState(409, "The request is not valid with the current state of the bucket."),
    InvalidChunkSizeError(400, "Only the last chunk is allowed to have a size less than 8192 bytes"),
    InvalidObjectState(403, "The operation is not valid for the current state of the object."),
    InvalidPart(400, "One or more of the specified parts could not be found."),
    InvalidPartNumber(416, "The requested partnumber is not satisfiable"),
    InvalidPartOrder(400, "The list of parts was not in ascending order."),
    InvalidRange(416, "The requested range is not satisfiable"),
    InvalidRequest(400, "Invalid Request"),
    InvalidTag(400, "The tag provided was not a valid tag."),
    InvalidURI(400, "Couldn't parse the specified URI."),
    KeyTooLongError(400, "Your key is too long"),
    MalformedXML(400, "The XML you provided was not well-formed or did not validate against our published schema."),
    MetadataTooLarge(400, "Your metadata headers exceed the maximum allowed metadata size."),
    MethodNotAllowed(405, "The specified method is not allowed against this resource."),
    MissingContentLength(411, "You must provide the Content-Length HTTP header."),
    MissingRequestBodyError(400, "Request Body is empty."),
    NoSuchBucket(404, "The specified bucket does not exist."),
    NoSuchCORSConfiguration(404, "The CORS configuration does not exist"),
    NoSuchKey(404, "The specified key does not exist."),
    NoSuchLifecycleConfiguration(404, "The lifecycle configuration does not exist"),
    NoSuchObjectLockConfiguration(404, "The specified object does not have a ObjectLock configuration"),
    /** Admin API only: the storage node id is not one of the server's nodes. */
    NoSuchNode(404, "The specified storage node does not exist."),
    NoSuchScript(404, "The specified third-party script does not exist."),
    NoSuchTagSet(404, "The TagSet does not exist."),
    NoSuchVersion(404, "The specified version does not exist."),
    NoSuchUpload(404, "The specified upload does not exist."),
    // ACLs and the bucket access settings (policy, public access block, ownership controls)
    /** An ACL write to a bucket whose ownership controls are BucketOwnerEnforced (ACLs disabled). */
    AccessControlListNotSupported(400, "The bucket does not allow ACLs"),
    InvalidBucketAclWithObjectOwnership(
            400, "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting"),
    MalformedACLError(400, "The XML you provided was not well-formed or did not validate against our published schema"),
    MalformedPolicy(400, "Policies must be valid JSON and the first byte must be '{'"),
    NoSuchBucketPolicy(404, "The bucket policy does not exist"),
    NoSuchPublicAccessBlockConfiguration(404, "The public access block configuration was not found"),
    OwnershipControlsNotFoundError(404, "The bucket ownership controls were not found"),
    UnexpectedContent(400, "This request does not support content"),
    UnresolvableGrantByEmailAddress(400, "The e-mail address you provided does not match any account on record."),
    NotFound(404, "Not Found"),
    NotImplemented(501, "A header or query you provided implies functionality that is not implemented."),
    NotModified(304, "Not Modified"),
    ObjectLockConfigurationNotFoundError(404, "Object Lock configuration does not exist for this bucket"),
    /** Admin API only: background tasks were still open when waiting for the queue timed out. */
    NotIdle(409, "Background tasks are still open."),
    PreconditionFailed(412, "At least one of the pre-conditions you specified did not hold."),
    RequestHeaderSectionTooLarge(431, "Your request header section exceeds the maximum allowed size."),
    RequestTimeTooSkewed(403, "The difference between the request time and the current time is too large."),
    RequestTimeout(
            400, "Your socket connection to the server was not read from or written to within the timeout period."),
    ServiceUnavailable(503, "Service is unable to handle request."),
    SignatureDoesNotMatch(
            403,
            "The request signature we calculated does not match the signature you provided. "
                    + "Check your key and signing method."),
    SlowDown(503, "Please reduce your request rate."),
    XAmzContentSHA256Mismatch(400, "The provided 'x-amz-content-sha256' header does not match what was computed.");

    private final int status;
    private final String defaultMessage;

    ErrorCode(int status, String defaultMessage) {
        this.status = status;
        this.defaultMessage = defaultMessage;
    }

    /** The HTTP status S3 answers with for this code. */
    public int status() {
        return status;
    }

    /** S3's generic message for this code, used when the thrower gives none. */
    public String defaultMessage() {
        return defaultMessage;
    }
}
