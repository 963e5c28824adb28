package dev.mockstorage.internal.s3;

import dev.mockstorage.MockStorageRuntime;
import dev.mockstorage.internal.auth.Authenticator;
import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.http.HttpHandler;
import dev.mockstorage.internal.http.HttpRequest;
import dev.mockstorage.internal.http.HttpResponse;
import dev.mockstorage.internal.s3.S3Request.Level;
import dev.mockstorage.internal.service.MultipartService;
import dev.mockstorage.internal.service.ObjectService;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The S3 REST API (path style, or virtual-host style: see {@link S3Request#of}). {@link #ROUTES} is its table of contents: the first route whose
 * method, level (service, bucket, object) and query/header condition match a request handles it.
 * Errors thrown anywhere below are rendered here, and only here, as S3 error XML.
 */
public final class S3Api implements HttpHandler {
    private static final System.Logger LOG = System.getLogger(S3Api.class.getName());

    @FunctionalInterface
    private interface Operation {
        HttpResponse handle(S3Request request) throws Exception;
    }

    /**
     * One row of the route table.
     *
     * @param condition {@code null}, {@code ?name} (query parameter present), {@code ?name=value}, or
     *                  {@code header:name} (request header present); several joined by {@code " & "} must all hold
     */
    private record Route(String method, Level level, String condition, String operation, Operation handler) {
        boolean matches(S3Request r) {
            if (!method.equals(r.http().method()) || level != r.level()) {
                return false;
            }
            if (condition == null) {
                return true;
            }
            for (String c : condition.split(" & ")) {
                if (!holds(c, r)) {
                    return false;
                }
            }
            return true;
        }

        private static boolean holds(String condition, S3Request r) {
            if (condition.startsWith("header:")) {
                return r.http().header(condition.substring(7)) != null;
            }
            String q = condition.substring(1);
            int eq = q.indexOf('=');
            return eq < 0
                    ? r.http().hasQueryParameter(q)
                    : q.substring(eq + 1).equals(r.http().queryParameter(q.substring(0, eq)));
        }

        /** Whether the condition asks for query parameter {@code name}: then it is this route's, not unimplemented. */
        boolean claims(String name) {
            if (method.equals("OPTIONS")) {
                return true; // a preflight names the actual request's sub-resources (?uploadId, ?versionId...):
                // answered from CORS rules
            }
            if (condition == null) {
                return false;
            }
            for (String c : condition.split(" & ")) {
                if (c.equals("?" + name) || c.startsWith("?" + name + "=")) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Sub-resources S3 has: a request naming one that no route claims (this server does not implement it, or not
     * with that method or on that level) is answered 501 naming the operation, never taken for a plain request.
     */
    private static final Map<String, String> NOT_IMPLEMENTED = Map.ofEntries(
            Map.entry("accelerate", "BucketAccelerateConfiguration"),
            Map.entry("acl", "Acl"),
            Map.entry("analytics", "BucketAnalyticsConfiguration"),
            Map.entry("cors", "BucketCors"),
            Map.entry("encryption", "BucketEncryption"),
            Map.entry("intelligent-tiering", "BucketIntelligentTieringConfiguration"),
            Map.entry("inventory", "BucketInventoryConfiguration"),
            Map.entry("legal-hold", "ObjectLegalHold"),
            Map.entry("lifecycle", "BucketLifecycleConfiguration"),
            Map.entry("logging", "BucketLogging"),
            Map.entry("metrics", "BucketMetricsConfiguration"),
            Map.entry("notification", "BucketNotificationConfiguration"),
            Map.entry("object-lock", "ObjectLockConfiguration"),
            Map.entry("ownershipControls", "BucketOwnershipControls"),
            Map.entry("policy", "BucketPolicy"),
            Map.entry("policyStatus", "BucketPolicyStatus"),
            Map.entry("publicAccessBlock", "PublicAccessBlock"),
            Map.entry("replication", "BucketReplication"),
            Map.entry("requestPayment", "BucketRequestPayment"),
            Map.entry("restore", "RestoreObject"),
            Map.entry("retention", "ObjectRetention"),
            Map.entry("select", "SelectObjectContent"),
            Map.entry("session", "CreateSession"),
            Map.entry("torrent", "ObjectTorrent"),
            Map.entry("uploadId", "MultipartUpload"),
            Map.entry("uploads", "MultipartUploads"),
            Map.entry("website", "BucketWebsite"),
            // claimed by their bucket routes; kept here so e.g. PUT /bucket/key?versioning is 501, not a PutObject
            Map.entry("versioning", "BucketVersioning"),
            Map.entry("versions", "ObjectVersions"));

    /** Operations that honour {@code ?versionId=}; on any other route it answers 501 rather than being ignored. */
    private static final Set<String> VERSION_ID_OPERATIONS = Set.of(
            "GetObject",
            "HeadObject",
            "DeleteObject",
            "GetObjectTagging",
            "PutObjectTagging",
            "DeleteObjectTagging",
            "GetObjectAttributes",
            "GetObjectAcl",
            "PutObjectAcl",
            "GetObjectRetention",
            "PutObjectRetention",
            "GetObjectLegalHold",
            "PutObjectLegalHold");

    /** Operation name of requests that match no route. */
    public static final String UNKNOWN_OPERATION = "Unknown";

    private final List<Route> routes;
    private final AtomicLong requestCounter = new AtomicLong();
    private final String hostId;
    private final List<String> domains;
    private final CorsHeaders corsHeaders;
    private final Authenticator authenticator; // null: open mode, any credentials accepted

    /** Path style only, plus virtual-host style below {@code localhost}. */
    public S3Api(ObjectService service, String region) {
        this(service, region, List.of("localhost"));
    }

    /** @param domains service domains: a request to {@code bucket.<domain>} addresses {@code bucket} (virtual-host style) */
    public S3Api(ObjectService service, String region, List<String> domains) {
        this(service, region, domains, null);
    }

    /**
     * @param domains       service domains: a request to {@code bucket.<domain>} addresses {@code bucket} (virtual-host style)
     * @param authenticator checks every request's signature before dispatch (strict mode), or null to accept any credentials
     */
    public S3Api(ObjectService service, String region, List<String> domains, Authenticator authenticator) {
        this(service, region, domains, authenticator, MockStorageRuntime.DEFAULT_ACCESS_KEY);
    }

    /**
     * @param domains       service domains: a request to {@code bucket.<domain>} addresses {@code bucket} (virtual-host style)
     * @param authenticator checks every request's signature before dispatch (strict mode), or null to accept any credentials
     * @param accessKey     the configured access key: the owner of every bucket and object (ACLs, listings)
     */
    public S3Api(
            ObjectService service, String region, List<String> domains, Authenticator authenticator, String accessKey) {
        this.authenticator = authenticator;
        this.domains = List.copyOf(domains);
        Owner owner = Owner.of(accessKey);
        BucketOperations buckets = new BucketOperations(service, region, owner);
        // a null service gives the route table alone (operations()), for documentation checks
        MultipartService mp = service == null ? null : service.multipart();
        ObjectOperations objects = new ObjectOperations(service, mp, owner);
        ListOperations lists = new ListOperations(service, owner);
        MultipartOperations multipart = new MultipartOperations(service, mp, owner);
        TaggingOperations tagging = new TaggingOperations(service, mp);
        CorsOperations cors = new CorsOperations(service);
        this.corsHeaders = new CorsHeaders(service);
        VersioningOperations versioning = new VersioningOperations(service, owner);
        AccessOperations access = new AccessOperations(service, owner);
        LifecycleOperations lifecycle = new LifecycleOperations(service);
        ObjectLockOperations locks = new ObjectLockOperations(service);
        this.hostId = Long.toHexString(System.identityHashCode(this));
        this.routes = List.of(
                new Route("GET", Level.SERVICE, null, "ListBuckets", buckets::listBuckets),
                new Route("GET", Level.BUCKET, "?location", "GetBucketLocation", buckets::location),
                new Route("GET", Level.BUCKET, "?tagging", "GetBucketTagging", tagging::getBucketTagging),
                new Route("PUT", Level.BUCKET, "?tagging", "PutBucketTagging", tagging::putBucketTagging),
                new Route("DELETE", Level.BUCKET, "?tagging", "DeleteBucketTagging", tagging::deleteBucketTagging),
                new Route("GET", Level.BUCKET, "?cors", "GetBucketCors", cors::getBucketCors),
                new Route("PUT", Level.BUCKET, "?cors", "PutBucketCors", cors::putBucketCors),
                new Route("DELETE", Level.BUCKET, "?cors", "DeleteBucketCors", cors::deleteBucketCors),
                new Route("OPTIONS", Level.BUCKET, null, "OptionsBucket", cors::preflight),
                new Route("GET", Level.BUCKET, "?lifecycle", "GetBucketLifecycleConfiguration", lifecycle::get),
                new Route("PUT", Level.BUCKET, "?lifecycle", "PutBucketLifecycleConfiguration", lifecycle::put),
                new Route("DELETE", Level.BUCKET, "?lifecycle", "DeleteBucketLifecycle", lifecycle::delete),
                new Route("GET", Level.BUCKET, "?object-lock", "GetObjectLockConfiguration", locks::getConfiguration),
                new Route("PUT", Level.BUCKET, "?object-lock", "PutObjectLockConfiguration", locks::putConfiguration),
                new Route("GET", Level.BUCKET, "?uploads", "ListMultipartUploads", multipart::listUploads),
                new Route("GET", Level.BUCKET, "?acl", "GetBucketAcl", access::getBucketAcl),
                new Route("PUT", Level.BUCKET, "?acl", "PutBucketAcl", access::putBucketAcl),
                new Route("GET", Level.BUCKET, "?policy", "GetBucketPolicy", access::getBucketPolicy),
                new Route("PUT", Level.BUCKET, "?policy", "PutBucketPolicy", access::putBucketPolicy),
                new Route("DELETE", Level.BUCKET, "?policy", "DeleteBucketPolicy", access::deleteBucketPolicy),
                new Route("GET", Level.BUCKET, "?policyStatus", "GetBucketPolicyStatus", access::getBucketPolicyStatus),
                new Route(
                        "GET",
                        Level.BUCKET,
                        "?publicAccessBlock",
                        "GetPublicAccessBlock",
                        access::getPublicAccessBlock),
                new Route(
                        "PUT",
                        Level.BUCKET,
                        "?publicAccessBlock",
                        "PutPublicAccessBlock",
                        access::putPublicAccessBlock),
                new Route(
                        "DELETE",
                        Level.BUCKET,
                        "?publicAccessBlock",
                        "DeletePublicAccessBlock",
                        access::deletePublicAccessBlock),
                new Route(
                        "GET",
                        Level.BUCKET,
                        "?ownershipControls",
                        "GetBucketOwnershipControls",
                        access::getBucketOwnershipControls),
                new Route(
                        "PUT",
                        Level.BUCKET,
                        "?ownershipControls",
                        "PutBucketOwnershipControls",
                        access::putBucketOwnershipControls),
                new Route(
                        "DELETE",
                        Level.BUCKET,
                        "?ownershipControls",
                        "DeleteBucketOwnershipControls",
                        access::deleteBucketOwnershipControls),
                new Route("GET", Level.BUCKET, "?versioning", "GetBucketVersioning", versioning::getBucketVersioning),
                new Route("PUT", Level.BUCKET, "?versioning", "PutBucketVersioning", versioning::putBucketVersioning),
                new Route("GET", Level.BUCKET, "?versions", "ListObjectVersions", versioning::listObjectVersions),
                new Route("GET", Level.BUCKET, "?list-type=2", "ListObjectsV2", lists::listV2),
                new Route("POST", Level.BUCKET, "?delete", "DeleteObjects", objects::deleteObjects),
                new Route("PUT", Level.BUCKET, null, "CreateBucket", buckets::createBucket),
                new Route("HEAD", Level.BUCKET, null, "HeadBucket", buckets::headBucket),
                new Route("DELETE", Level.BUCKET, null, "DeleteBucket", buckets::deleteBucket),
                new Route("GET", Level.BUCKET, null, "ListObjects", lists::listV1),
                new Route("POST", Level.OBJECT, "?uploads", "CreateMultipartUpload", multipart::create),
                new Route(
                        "PUT",
                        Level.OBJECT,
                        "?uploadId & ?partNumber & header:x-amz-copy-source",
                        "UploadPartCopy",
                        multipart::uploadPartCopy),
                new Route("PUT", Level.OBJECT, "?uploadId & ?partNumber", "UploadPart", multipart::uploadPart),
                new Route("POST", Level.OBJECT, "?uploadId", "CompleteMultipartUpload", multipart::complete),
                new Route("GET", Level.OBJECT, "?uploadId", "ListParts", multipart::listParts),
                new Route("DELETE", Level.OBJECT, "?uploadId", "AbortMultipartUpload", multipart::abort),
                new Route("GET", Level.OBJECT, "?tagging", "GetObjectTagging", tagging::getObjectTagging),
                new Route("PUT", Level.OBJECT, "?tagging", "PutObjectTagging", tagging::putObjectTagging),
                new Route("DELETE", Level.OBJECT, "?tagging", "DeleteObjectTagging", tagging::deleteObjectTagging),
                new Route("GET", Level.OBJECT, "?attributes", "GetObjectAttributes", tagging::objectAttributes),
                new Route("GET", Level.OBJECT, "?acl", "GetObjectAcl", access::getObjectAcl),
                new Route("PUT", Level.OBJECT, "?acl", "PutObjectAcl", access::putObjectAcl),
                new Route("GET", Level.OBJECT, "?retention", "GetObjectRetention", locks::getRetention),
                new Route("PUT", Level.OBJECT, "?retention", "PutObjectRetention", locks::putRetention),
                new Route("GET", Level.OBJECT, "?legal-hold", "GetObjectLegalHold", locks::getLegalHold),
                new Route("PUT", Level.OBJECT, "?legal-hold", "PutObjectLegalHold", locks::putLegalHold),
                new Route("PUT", Level.OBJECT, "header:x-amz-copy-source", "CopyObject", objects::copy),
                new Route("PUT", Level.OBJECT, null, "PutObject", objects::put),
                new Route("GET", Level.OBJECT, null, "GetObject", objects::get),
                new Route("HEAD", Level.OBJECT, null, "HeadObject", objects::head),
                new Route("DELETE", Level.OBJECT, null, "DeleteObject", objects::delete),
                new Route("OPTIONS", Level.OBJECT, null, "OptionsObject", cors::preflight));
    }

    /** The operation names this API implements, in route-table order. */
    public List<String> operations() {
        return routes.stream().map(Route::operation).toList();
    }

    /**
     * True for a virtual-host-style request ({@code Host: bucket.<domain>}): its whole path is an object key,
     * so paths the server uses for itself ({@code /_console/...}) belong to S3 there.
     */
    public boolean addressesBucketByHost(HttpRequest http) {
        return !domains.isEmpty() && S3Request.virtualHostBucket(http.header("host"), domains) != null;
    }

    @Override
    public HttpResponse handle(HttpRequest http) {
        String requestId = String.format(Locale.ROOT, "%016X", requestCounter.incrementAndGet());
        HttpResponse response;
        S3Request request = null;
        String operation = UNKNOWN_OPERATION;
        String errorCode = null;
        try {
            if (http.problem() != null) {
                throw http.problem();
            }
            request = S3Request.of(http, requestId, domains);
            Route matched = route(request);
            String missing = notImplemented(request, matched);
            Route route = missing == null ? matched : null;
            operation = missing != null ? missing : route != null ? route.operation() : UNKNOWN_OPERATION;
            if (authenticator != null) {
                authenticator.authenticate(http); // strict mode: signatures; body checks ride along
            }
            response = dispatch(request, missing, route);
        } catch (StorageException e) {
            errorCode = e.code().name();
            response = error(e, http, request);
        } catch (Exception | Error e) {
            errorCode = ErrorCode.InternalError.name();
            response = error(
                    new StorageException(ErrorCode.InternalError, "We encountered an internal error: " + e, null, e),
                    http,
                    request);
        }
        corsHeaders.decorate(http, request, response); // Origin on an actual request: the matching CORS rule's headers
        // for the observer (journal, metrics, access log); not sent
        response.attribute(HttpResponse.ATTR_OPERATION, operation)
                .attribute(HttpResponse.ATTR_ERROR, errorCode)
                .attribute(HttpResponse.ATTR_REQUEST_ID, requestId);
        if (request != null) {
            response.attribute(HttpResponse.ATTR_BUCKET, request.bucket())
                    .attribute(HttpResponse.ATTR_KEY, request.key());
        }
        return response.header("x-amz-request-id", requestId)
                .header("x-amz-id-2", hostId)
                .header("Server", "MockStorage");
    }

    /**
     * The answer to a connection the adapter refuses before reading a request from it (more than
     * {@code server.max_connections} open): the S3 error, closing the connection. Not observed: no
     * request was read.
     */
    public HttpResponse refusal(StorageException e) {
        String requestId = String.format(Locale.ROOT, "%016X", requestCounter.incrementAndGet());
        Xml xml = Xml.plainDocument("Error")
                .element("Code", e.code().name())
                .element("Message", e.getMessage())
                .element("RequestId", requestId)
                .element("HostId", hostId);
        return Xml.response(e.code().status(), xml)
                .header("x-amz-request-id", requestId)
                .header("x-amz-id-2", hostId)
                .header("Server", "MockStorage")
                .closeConnection();
    }

    /** The name of the operation a request maps to (e.g. {@code PutObject}), or null when none. */
    public String operationOf(HttpRequest http) {
        try {
            S3Request r = S3Request.of(http, "", domains);
            Route route = route(r);
            return route != null && notImplemented(r, route) == null ? route.operation() : null;
        } catch (StorageException e) {
            return null;
        }
    }

    private Route route(S3Request r) {
        for (Route route : routes) {
            if (route.matches(r)) {
                return route;
            }
        }
        return null;
    }

    private HttpResponse dispatch(S3Request r, String missing, Route route) throws Exception {
        if (missing != null) {
            throw new StorageException(
                    ErrorCode.NotImplemented,
                    "mock-storage does not implement " + missing + " ("
                            + r.http().method() + " " + r.resource() + "?"
                            + r.http().rawQuery() + ")");
        }
        if (route != null) {
            return route.handler().handle(r);
        }
        throw new StorageException(
                        ErrorCode.MethodNotAllowed,
                        "The specified method is not allowed against this resource: "
                                + r.http().method() + " on "
                                + (r.level() == Level.SERVICE
                                        ? "the service"
                                        : r.level() == Level.BUCKET ? "a bucket" : "an object"))
                .with("Method", r.http().method())
                .with("ResourceType", r.level().name());
    }

    /** The unimplemented operation a sub-resource parameter names, unless the matched route handles that parameter. */
    private static String notImplemented(S3Request r, Route route) {
        for (Map.Entry<String, String> p : r.http().queryParameters()) {
            if (p.getKey().equals("versionId")
                    && route != null
                    && !VERSION_ID_OPERATIONS.contains(route.operation())
                    && !route.method().equals("OPTIONS")
                    && !p.getValue().equals("null")) {
                return route.operation() + " with versionId";
            }
            String name = NOT_IMPLEMENTED.get(p.getKey());
            if (name != null && (route == null || !route.claims(p.getKey()))) {
                String verb = switch (r.http().method()) {
                    case "GET", "HEAD" -> "Get";
                    case "PUT" -> "Put";
                    case "DELETE" -> "Delete";
                    default ->
                        r.http().method().charAt(0)
                                + r.http().method().substring(1).toLowerCase(Locale.ROOT);
                };
                return verb + name;
            }
        }
        return null;
    }

    /**
     * One record for a 5xx answer. A condition the store reports by design (a node down or read-only, a
     * write quorum not met, a damaged object, the third party failing, a full queue) is logged at DEBUG,
     * on one line: the client has the message, the journal and metrics count it, and a fault a test
     * injected on purpose must not fill its output (the SDK alone sends a failing request four times).
     * A state change behind it is logged once where it happens (a node going down, a repair queued).
     * An unexpected failure (an InternalError caused by something other than an I/O error) is a defect:
     * ERROR with its stack trace.
     */
    private static void logFailure(StorageException e, HttpRequest http) {
        if (e.status() < 500) {
            return;
        }
        Throwable cause = e.getCause();
        if (e.code() == ErrorCode.InternalError && cause != null && !(cause instanceof IOException)) {
            LOG.log(System.Logger.Level.ERROR, "unexpected failure serving " + http + ": " + e.getMessage(), cause);
        } else {
            LOG.log(
                    System.Logger.Level.DEBUG,
                    () -> http + " -> " + e.status() + " " + e.code() + ": "
                            + String.valueOf(e.getMessage()).replace('\n', ' '));
        }
    }

    private HttpResponse error(StorageException e, HttpRequest http, S3Request request) {
        HttpResponse response = HttpResponse.status(e.status());
        if (http.problem() != null) {
            response.closeConnection();
        }
        e.headers().forEach(response::header);
        logFailure(e, http);
        if ("HEAD".equals(http.method())) {
            return response; // S3 sends no body for HEAD errors
        }
        Xml xml = Xml.plainDocument("Error").element("Code", e.code().name()).element("Message", e.getMessage());
        e.details().forEach(xml::element);
        xml.element("Resource", request != null ? request.resource() : http.rawPath())
                .element("RequestId", request != null ? request.requestId() : null)
                .element("HostId", hostId);
        if (e.code() == ErrorCode.InvalidRange && e.details().containsKey("ActualObjectSize")) {
            response.header("Content-Range", "bytes */" + e.details().get("ActualObjectSize"));
        }
        return response.body(xml.toBytes()).header("Content-Type", "application/xml");
    }
}
