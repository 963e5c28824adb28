package dev.mockstorage.internal.observe;

import dev.mockstorage.internal.http.HttpHandler;
import dev.mockstorage.internal.http.HttpRequest;
import dev.mockstorage.internal.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

/**
 * The one observation point: wraps the server's handler and, once the adapter has written a
 * response, builds a {@link RequestEvent} and hands it to every sink (journal, metrics, access log)
 * on the connection's thread. With no sink it adds nothing to a request.
 */
public final class Observer implements HttpHandler {
    /** Attribute the admin API sets (Boolean.TRUE) on its responses. */
    public static final String ATTR_ADMIN = "admin";

    private static final String UNKNOWN = "Unknown";

    private final HttpHandler delegate;
    private final Consumer<RequestEvent>[] sinks;
    private final Clock clock;

    /** @param clock the server's clock: each event's time (the journal's and the access log's) */
    @SuppressWarnings("unchecked")
    public Observer(HttpHandler delegate, List<Consumer<RequestEvent>> sinks, Clock clock) {
        this.delegate = delegate;
        this.sinks = sinks.toArray(new Consumer[0]);
        this.clock = clock;
    }

    @Override
    public HttpResponse handle(HttpRequest request) throws Exception {
        if (sinks.length == 0) {
            return delegate.handle(request);
        }
        long start = System.nanoTime();
        long epochMillis = clock.millis();
        HttpResponse response = delegate.handle(request);
        if (response != null) {
            response.onComplete(bytesOut -> emit(request, response, start, epochMillis, bytesOut));
        }
        return response;
    }

    private void emit(HttpRequest request, HttpResponse response, long start, long epochMillis, long bytesOut) {
        long duration = System.nanoTime() - start;
        Object operation = response.attribute(HttpResponse.ATTR_OPERATION);
        RequestEvent event = new RequestEvent(
                epochMillis,
                (String) response.attribute(HttpResponse.ATTR_REQUEST_ID),
                request.remoteAddress(),
                request.method(),
                operation == null ? UNKNOWN : (String) operation,
                Boolean.TRUE.equals(response.attribute(ATTR_ADMIN)),
                (String) response.attribute(HttpResponse.ATTR_BUCKET),
                (String) response.attribute(HttpResponse.ATTR_KEY),
                response.status(),
                (String) response.attribute(HttpResponse.ATTR_ERROR),
                request.bodyBytesRead(),
                bytesOut,
                duration,
                request.headers());
        for (Consumer<RequestEvent> sink : sinks) {
            try {
                sink.accept(event);
            } catch (RuntimeException e) {
                // one broken sink must not hide the event from the others
            }
        }
    }
}
