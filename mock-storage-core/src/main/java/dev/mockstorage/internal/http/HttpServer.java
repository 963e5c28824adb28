package dev.mockstorage.internal.http;

/** TEMPORARY placeholder; replaced by the http branch. */
public final class HttpServer {
    public HttpServer(String host, int port, HttpHandler handler) {
    }

    public void start() throws java.io.IOException {
        throw new UnsupportedOperationException("TODO");
    }

    public int port() {
        return -1;
    }

    public void stop() {
    }
}
