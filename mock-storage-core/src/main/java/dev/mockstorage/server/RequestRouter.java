package dev.mockstorage.server;

import dev.mockstorage.internal.admin.AdminApi;
import dev.mockstorage.internal.console.Console;
import dev.mockstorage.internal.http.HttpHandler;
import dev.mockstorage.internal.http.HttpRequest;
import dev.mockstorage.internal.http.HttpResponse;
import dev.mockstorage.internal.observe.Observer;
import dev.mockstorage.internal.s3.S3Api;

/**
 * Which API a request on the server's one port is for: the admin API ({@code /health}, {@code /metrics},
 * {@code /api/v1/**}), the web console ({@code /_console/}, unless the request names a bucket by its host:
 * then it is that bucket's key), or S3.
 */
final class RequestRouter implements HttpHandler {
    private final AdminApi admin;
    private final Console console;
    private final S3Api s3;

    RequestRouter(AdminApi admin, Console console, S3Api s3) {
        this.admin = admin;
        this.console = console;
        this.s3 = s3;
    }

    @Override
    public HttpResponse handle(HttpRequest request) throws Exception {
        if (AdminApi.owns(request)) {
            return admin.handle(request);
        }
        if (Console.owns(request) && !s3.addressesBucketByHost(request)) {
            return console.handle(request).attribute(Observer.ATTR_ADMIN, Boolean.TRUE); // not in the journal
        }
        return s3.handle(request);
    }
}
