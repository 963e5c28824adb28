package dev.mockstorage.junit5.internal;

import dev.mockstorage.junit5.MockStorage;
import dev.mockstorage.server.MockStorageServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One running server with its temporary directory and, once asked for, its AWS SDK clients. Closed by
 * JUnit with the store that holds it: clients, then server, then the directory (kept when
 * {@value MockStorage#KEEP_DATA_PROPERTY} is true). Idempotent.
 *
 * <p>Implements the deprecated {@code CloseableResource} as well as {@link AutoCloseable}: JUnit before
 * 5.13 closes only the former, later versions the latter (once).
 */
@SuppressWarnings("deprecation")
final class ServerResource implements AutoCloseable, ExtensionContext.Store.CloseableResource {

    private final MockStorage annotation;
    private final String where;
    private final ClassLoader loader;
    private final Path directory;
    private final boolean keep;
    private final MockStorageServer server;
    private final List<String> resolvedScripts;
    private AutoCloseable awsClients; // an AwsClients, typed so this class never links the SDK
    private boolean closed;

    private ServerResource(
            MockStorage annotation,
            String where,
            ClassLoader loader,
            Path directory,
            boolean keep,
            MockStorageServer server,
            List<String> resolvedScripts) {
        this.annotation = annotation;
        this.where = where;
        this.loader = loader;
        this.directory = directory;
        this.keep = keep;
        this.server = server;
        this.resolvedScripts = resolvedScripts;
    }

    /**
     * Checks the annotation, then starts a server in a fresh temporary directory and provisions it.
     *
     * @throws ExtensionConfigurationException naming the attribute at fault
     */
    static ServerResource start(MockStorage a, String where, ExtensionContext context, boolean perClass) {
        ClassLoader loader = context.getRequiredTestClass().getClassLoader();
        if (a.nodes() < 1) {
            throw misuse(where, "nodes = " + a.nodes(), "nodes must be at least 1");
        }
        URL config = a.config().isEmpty() ? null : resource(loader, a.config(), where, "config");
        List<String> scripts = new ArrayList<>();
        for (String script : a.thirdPartyScripts()) {
            resource(loader, script, where, "thirdPartyScripts");
            scripts.add(script);
        }
        if (!a.seed().isEmpty()) {
            Seed.check(loader, a.seed(), where);
        }
        boolean keep = context.getConfigurationParameter(MockStorage.KEEP_DATA_PROPERTY)
                .map(Boolean::parseBoolean)
                .orElse(Boolean.getBoolean(MockStorage.KEEP_DATA_PROPERTY));
        Path directory;
        try {
            directory = Files.createTempDirectory("mock-storage-");
        } catch (IOException e) {
            throw new UncheckedIOException("@MockStorage could not create a temporary directory", e);
        }
        MockStorageServer server = null;
        try {
            MockStorageServer.Builder builder = MockStorageServer.builder();
            if (config != null) {
                Path copy = directory.resolve("mock-storage-config.json");
                try (InputStream in = config.openStream()) {
                    Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
                }
                builder.configFile(copy);
            }
            builder.dataDirectory(directory)
                    .port(0)
                    .nodes(a.nodes())
                    .setting("database.dsn", directory.resolve("metadata.db").toString());
            try {
                server = builder.start();
            } catch (IllegalArgumentException e) {
                throw misuse(where, "config = \"" + a.config() + "\"", e.getMessage());
            }
            ServerResource resource = new ServerResource(a, where, loader, directory, keep, server, scripts);
            resource.provision();
            if (keep) {
                context.publishReportEntry("mockstorage.dataDirectory", directory.toString());
            }
            return resource;
        } catch (IOException | RuntimeException | Error e) {
            if (server != null) {
                server.close();
            }
            if (!keep) {
                DirectoryCleaner.delete(directory);
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw (Error) e;
        }
    }

    MockStorageServer server() {
        return server;
    }

    /** The S3Client or S3AsyncClient of this server, built on first use. */
    synchronized Object awsClient(Class<?> type) {
        if (closed) {
            throw new IllegalStateException("the @MockStorage server of " + where + " is closed");
        }
        if (awsClients == null) {
            awsClients = new AwsClients(server);
        }
        return ((AwsClients) awsClients).client(type);
    }

    /** PER_CLASS between tests: back to an empty store, then the annotation's buckets, seed and scripts again. */
    void resetForNextTest() {
        server.reset();
        provision();
    }

    private void provision() {
        for (String bucket : annotation.buckets()) {
            try {
                server.createBucket(bucket);
            } catch (RuntimeException e) {
                throw misuse(where, "buckets = \"" + bucket + "\"", e.getMessage());
            }
        }
        if (!annotation.seed().isEmpty()) {
            Seed.store(loader, annotation.seed(), where, server);
        }
        for (String script : resolvedScripts) {
            URL url = resource(loader, script, where, "thirdPartyScripts");
            try {
                Path file = url.getProtocol().equals("file") ? Path.of(url.toURI()) : null;
                if (file != null) {
                    server.thirdParty().loadScripts(file); // relative body_file resolves against its folder
                } else {
                    try (InputStream in = url.openStream()) {
                        server.thirdParty().loadScripts(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw misuse(where, "thirdPartyScripts = \"" + script + "\"", e.getMessage());
            } catch (IOException | URISyntaxException e) {
                throw misuse(where, "thirdPartyScripts = \"" + script + "\"", "cannot read it: " + e);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (awsClients != null) {
                try {
                    awsClients.close();
                } catch (Exception e) {
                    // the clients hold no data; the server and directory must still go
                }
            }
            server.close();
        } finally {
            if (!keep) {
                DirectoryCleaner.deleteLater(directory);
            }
        }
    }

    static URL resource(ClassLoader loader, String name, String where, String attribute) {
        String path = name.startsWith("/") ? name.substring(1) : name;
        URL url = path.isEmpty() ? null : loader.getResource(path);
        if (url == null) {
            throw misuse(where, attribute + " = \"" + name + "\"", "no such resource on the test classpath");
        }
        return url;
    }

    static ExtensionConfigurationException misuse(String where, String attribute, String problem) {
        return new ExtensionConfigurationException("@MockStorage(" + attribute + ") on " + where + ": " + problem);
    }
}
