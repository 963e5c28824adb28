package dev.mockstorage.internal.console;

import dev.mockstorage.internal.http.HttpHandler;
import dev.mockstorage.internal.http.HttpRequest;
import dev.mockstorage.internal.http.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web console's files at {@value #PATH}{@code /}: static HTML, CSS and JavaScript modules read from
 * the jar ({@value #RESOURCES}), no server-side rendering; the pages talk to the admin API. {@code
 * /_console} redirects to {@code /_console/}, which serves {@code index.html}.
 *
 * <p>Only names made of lower-case letters, digits, {@code .}, {@code -} and {@code _} in segments that
 * start with a letter or digit, ending in a known extension, are looked up: no escape, no {@code ..},
 * no directory, so nothing outside the console's resources can be reached. Every answer carries a strong
 * ETag (revalidated with {@code Cache-Control: no-cache}, so a new jar is picked up at once) and a
 * Content-Security-Policy that allows only the console's own scripts and styles.
 *
 * <p>No bucket can shadow these paths (S3 bucket names cannot start with {@code _}); the composition root
 * leaves virtual-host-style requests ({@code bucket.localhost/_console/...}, an object key) to S3.
 */
public final class Console implements HttpHandler {
    /** Where the console is served. */
    public static final String PATH = "/_console";
    /** The classpath folder holding the console's files. */
    static final String RESOURCES = "dev/mockstorage/console/";
    /** The operation name the console's requests carry in metrics and the access log. */
    public static final String OPERATION = "Console";

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "txt", "text/plain; charset=utf-8");
    /** Segments of lower-case letters, digits, '.', '-', '_', each starting with a letter or digit. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*\\.([a-z]+)");

    private static final String CSP =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:;"
                    + " connect-src 'self'; font-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

    /** A file of the console, loaded once. */
    private record Asset(byte[] bytes, String type, String etag) {}

    private final boolean enabled;
    private final ClassLoader loader;
    private final Map<String, Optional<Asset>> assets = new ConcurrentHashMap<>();

    /** @param enabled {@code console.enabled}: false answers 404 saying how to turn it on */
    public Console(boolean enabled) {
        this(enabled, Console.class.getClassLoader());
    }

    Console(boolean enabled, ClassLoader loader) {
        this.enabled = enabled;
        this.loader = loader;
    }

    /** True when the request is for the console's path ({@code /_console} or below), whatever its host. */
    public static boolean owns(HttpRequest request) {
        String p = request.rawPath();
        return p.startsWith(PATH) && (p.length() == PATH.length() || p.charAt(PATH.length()) == '/');
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        return answer(request).attribute(HttpResponse.ATTR_OPERATION, OPERATION);
    }

    private HttpResponse answer(HttpRequest request) {
        if (request.problem() != null) {
            return text(400, "bad request: " + request.problem().getMessage()).closeConnection();
        }
        if (!enabled) {
            return text(
                    404,
                    "The web console is off. Turn it on with the setting console.enabled=true"
                            + " (--console.enabled=true, MOCK_STORAGE_CONSOLE_ENABLED=true, or"
                            + " MockStorageServer.builder().setting(\"console.enabled\", \"true\") in-process).");
        }
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            return text(405, request.method() + " is not allowed on the console's files; use GET or HEAD")
                    .header("Allow", "GET, HEAD");
        }
        String path = request.rawPath();
        if (path.equals(PATH)) {
            String query = request.rawQuery() == null ? "" : "?" + request.rawQuery();
            return HttpResponse.status(308)
                    .header("Location", PATH + "/" + query)
                    .header("Cache-Control", "no-cache");
        }
        String name = path.substring(PATH.length() + 1);
        if (name.isEmpty()) {
            name = "index.html";
        }
        var m = NAME.matcher(name);
        if (!m.matches() || !TYPES.containsKey(m.group(2)) || name.contains("..")) {
            return text(404, "no console file " + path);
        }
        Optional<Asset> asset = assets.computeIfAbsent(name, this::load);
        if (asset.isEmpty()) {
            return text(404, "no console file " + path);
        }
        Asset a = asset.get();
        HttpResponse response;
        String ifNoneMatch = request.header("if-none-match");
        if (ifNoneMatch != null && (ifNoneMatch.equals(a.etag()) || ifNoneMatch.equals("W/" + a.etag()))) {
            response = HttpResponse.status(304);
        } else {
            response = HttpResponse.status(200).header("Content-Type", a.type()).body(a.bytes());
        }
        return secure(response.header("ETag", a.etag()).header("Cache-Control", "no-cache"));
    }

    private Optional<Asset> load(String name) {
        try (InputStream in = loader.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            String extension = name.substring(name.lastIndexOf('.') + 1);
            return Optional.of(new Asset(bytes, TYPES.get(extension), etag(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the console file " + name, e);
        }
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse secure(HttpResponse response) {
        return response.header("Content-Security-Policy", CSP)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer");
    }

    private static HttpResponse text(int status, String message) {
        return secure(HttpResponse.status(status)
                .header("Cache-Control", "no-store")
                .body(message + "\n", "text/plain; charset=utf-8"));
    }
}
