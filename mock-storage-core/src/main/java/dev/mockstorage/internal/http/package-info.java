/**
 * The HTTP adapter: the only code that touches NanoHTTPD. {@link dev.mockstorage.internal.http.HttpServer}
 * turns each connection into {@link dev.mockstorage.internal.http.HttpRequest}s with the raw, undecoded
 * request target, decoded bodies ({@code Content-Length}, {@code Transfer-Encoding: chunked},
 * {@code aws-chunked}) and a lazy {@code 100 Continue}, hands them to an
 * {@link dev.mockstorage.internal.http.HttpHandler} and writes its
 * {@link dev.mockstorage.internal.http.HttpResponse} byte for byte. NanoHTTPD only runs one thread per
 * connection (and closes them on stop); the request loop on it is ours and NanoHTTPD never parses client
 * bytes (see {@code Connection}).
 * Internal: no compatibility promise.
 */
package dev.mockstorage.internal.http;
