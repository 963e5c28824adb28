/**
 * The HTTP adapter: the only code that touches NanoHTTPD. {@link dev.mockstorage.internal.http.HttpServer}
 * turns each connection into {@link dev.mockstorage.internal.http.HttpRequest}s with the raw, undecoded
 * request target, decoded bodies ({@code Content-Length}, {@code Transfer-Encoding: chunked},
 * {@code aws-chunked}) and a lazy {@code 100 Continue}, hands them to an
 * {@link dev.mockstorage.internal.http.HttpHandler} and writes its
 * {@link dev.mockstorage.internal.http.HttpResponse} byte for byte. Connections are ours too: one
 * dispatcher thread ({@code Dispatcher}) accepts, holds idle and half-sent connections without a thread
 * and hands a connection to a bounded pool of workers ({@code Workers}) once its request head is complete;
 * NanoHTTPD is left with its {@code Response} base class and never parses client bytes (see
 * {@code Connection}).
 * Internal: no compatibility promise.
 */
package dev.mockstorage.internal.http;
