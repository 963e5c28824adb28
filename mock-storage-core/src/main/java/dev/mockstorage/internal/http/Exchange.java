package dev.mockstorage.internal.http;

import dev.mockstorage.internal.error.StorageException;
import java.util.List;
import java.util.Map;

/**
 * One request/response exchange on a connection: builds the {@link HttpRequest} from the head the
 * connection read, calls the handler, makes sure no body byte is left behind for the next request, and
 * decides whether the connection stays open.
 */
final class Exchange {
    private static final System.Logger LOG = System.getLogger("dev.mockstorage.http");

    private Exchange() {}

    static RawResponse run(Connection connection, HttpHandler handler) {
        RequestHead head = connection.currentHead();
        RawRequestLine line = head.line();
        StorageException problem = head.problem();
        List<Map.Entry<String, String>> params = List.of();
        BodyReader body = BodyReader.empty(head);
        try {
            if (problem == null) {
                params = QueryString.parse(line.rawQuery());
                body = BodyReader.open(head, connection);
            }
        } catch (StorageException e) {
            problem = e;
        }
        HttpRequest request = new HttpRequest(
                line.method(),
                line.rawPath(),
                line.rawQuery(),
                head.headers(),
                params,
                body,
                connection.remoteAddress(),
                problem);
        boolean close = problem != null || head.wantsClose();
        HttpResponse response;
        try {
            response = handler.handle(request);
            if (response == null) {
                throw new IllegalStateException("the handler returned no response");
            }
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.WARNING, "Request " + request + " failed; answering 500", t);
            return RawResponse.internalError(connection);
        }
        close |= response.closesConnection();
        if (!close && !body.finish()) {
            close = true;
        }
        return new RawResponse(response, "HEAD".equals(line.method()), close, connection);
    }
}
