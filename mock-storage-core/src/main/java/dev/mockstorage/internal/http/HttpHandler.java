package dev.mockstorage.internal.http;

/**
 * What the HTTP adapter calls for every request. Implementations never see NanoHTTPD types.
 * An exception that escapes is answered by the adapter as a bare 500 with the connection closed,
 * so handlers should render their own errors.
 */
@FunctionalInterface
public interface HttpHandler {
    HttpResponse handle(HttpRequest request) throws Exception;
}
