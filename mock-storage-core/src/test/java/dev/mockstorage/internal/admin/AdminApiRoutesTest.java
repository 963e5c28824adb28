package dev.mockstorage.internal.admin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.mockstorage.internal.contract.AdminRoute;
import dev.mockstorage.server.MockStorageServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server serves every route of the shared table as the remote handle builds it: no route of
 * {@link AdminRoute} is answered 404 "no admin endpoint" or 405 (a handler is bound to each at compile
 * time; this checks the dispatch finds it).
 */
class AdminApiRoutesTest {

    @Test
    void everyRouteOfTheTableReachesItsHandler(@TempDir Path dir) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (MockStorageServer server =
                MockStorageServer.builder().dataDirectory(dir).start()) {
            for (AdminRoute route : AdminRoute.values()) {
                List<String> values = new ArrayList<>();
                for (String segment : route.path().split("/")) {
                    if (segment.startsWith("{")) {
                        values.add(segment.equals("{node}") ? "stg1" : segment.equals("{key+}") ? "a b/c" : "x");
                    }
                }
                String target = route.request(values.toArray(new String[0])).target();
                HttpResponse<String> answer = http.send(
                        HttpRequest.newBuilder(URI.create(server.endpoint() + target))
                                .method(route.method(), HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertNotEquals(405, answer.statusCode(), route + ": " + answer.body());
                assertFalse(answer.body().contains("no admin endpoint"), route + ": " + answer.body());
            }
        }
    }
}
