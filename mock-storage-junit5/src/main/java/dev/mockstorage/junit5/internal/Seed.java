package dev.mockstorage.junit5.internal;

import dev.mockstorage.server.MockStorageServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * {@code @MockStorage(seed = "folder")}: every file below {@code folder/bucket/} of the test classpath,
 * from directories and jars, stored as {@code bucket/key}. Every copy of the folder on the classpath
 * contributes (as for {@link ClassLoader#getResources}).
 */
final class Seed {

    /** One file to store. */
    private record Entry(String bucket, String key, URL url, Path file) {
        byte[] content() throws IOException {
            if (file != null) {
                return Files.readAllBytes(file);
            }
            URLConnection c = url.openConnection();
            c.setUseCaches(false);
            try (InputStream in = c.getInputStream()) {
                return in.readAllBytes();
            }
        }
    }

    private Seed() {}

    /** Checks the folder exists and holds only bucket folders, naming {@code seed} when not. */
    static void check(ClassLoader loader, String seed, String where) {
        entries(loader, seed, where);
    }

    /** Creates each bucket and stores each file through the normal upload path. */
    static void store(ClassLoader loader, String seed, String where, MockStorageServer server) {
        List<Entry> entries = entries(loader, seed, where);
        for (Entry e : entries) {
            try {
                server.createBucket(e.bucket());
            } catch (RuntimeException ex) {
                throw ServerResource.misuse(
                        where, "seed = \"" + seed + "\"", "folder " + e.bucket() + ": " + ex.getMessage());
            }
        }
        for (Entry e : entries) {
            String type = URLConnection.guessContentTypeFromName(e.key());
            try {
                server.putObject(e.bucket(), e.key(), e.content(), type == null ? "application/octet-stream" : type);
            } catch (IOException ex) {
                throw new UncheckedIOException("@MockStorage(seed = \"" + seed + "\"): cannot read " + e.url(), ex);
            }
        }
    }

    private static List<Entry> entries(ClassLoader loader, String seed, String where) {
        String root = strip(seed);
        String attribute = "seed = \"" + seed + "\"";
        List<URL> urls;
        try {
            urls = root.isEmpty() ? List.of() : Collections.list(loader.getResources(root));
        } catch (IOException e) {
            throw ServerResource.misuse(where, attribute, "cannot list the classpath: " + e);
        }
        if (urls.isEmpty()) {
            throw ServerResource.misuse(where, attribute, "no such folder on the test classpath");
        }
        List<Entry> entries = new ArrayList<>();
        for (URL url : urls) {
            try {
                switch (url.getProtocol()) {
                    case "file" -> fromDirectory(Path.of(url.toURI()), url, where, attribute, entries);
                    case "jar" -> fromJar(url, root, where, attribute, entries);
                    default ->
                        throw ServerResource.misuse(
                                where, attribute, "cannot list " + url + " (only folders and jars)");
                }
            } catch (IOException | URISyntaxException e) {
                throw ServerResource.misuse(where, attribute, "cannot read " + url + ": " + e);
            }
        }
        return entries;
    }

    private static void fromDirectory(Path dir, URL url, String where, String attribute, List<Entry> out)
            throws IOException {
        if (!Files.isDirectory(dir)) {
            throw ServerResource.misuse(where, attribute, url + " is a file, not a folder of bucket folders");
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                Path rel = dir.relativize(f);
                if (rel.getNameCount() < 2) {
                    throw ServerResource.misuse(
                            where,
                            attribute,
                            "file " + rel + " is not inside a bucket folder"
                                    + " (expected <bucket>/<key> below the seed folder)");
                }
                String key = rel.subpath(1, rel.getNameCount())
                        .toString()
                        .replace(f.getFileSystem().getSeparator(), "/");
                out.add(new Entry(rel.getName(0).toString(), key, f.toUri().toURL(), f));
            }
        }
    }

    private static void fromJar(URL url, String root, String where, String attribute, List<Entry> out)
            throws IOException {
        JarURLConnection c = (JarURLConnection) url.openConnection();
        c.setUseCaches(false);
        String prefix = root.endsWith("/") ? root : root + "/";
        try (JarFile jar = c.getJarFile()) {
            Enumeration<JarEntry> all = jar.entries();
            boolean folder = false;
            List<String> names = new ArrayList<>();
            while (all.hasMoreElements()) {
                JarEntry e = all.nextElement();
                if (e.getName().startsWith(prefix)) {
                    folder = true;
                    if (!e.isDirectory()) {
                        names.add(e.getName());
                    }
                }
            }
            if (!folder) {
                throw ServerResource.misuse(where, attribute, url + " is a file, not a folder of bucket folders");
            }
            Collections.sort(names);
            String base = url.toString().substring(0, url.toString().indexOf("!/") + 2);
            for (String name : names) {
                String rel = name.substring(prefix.length());
                int slash = rel.indexOf('/');
                if (slash <= 0) {
                    throw ServerResource.misuse(where, attribute, "file " + rel + " is not inside a bucket folder");
                }
                out.add(new Entry(rel.substring(0, slash), rel.substring(slash + 1), new URL(base + name), null));
            }
        }
    }

    private static String strip(String name) {
        String s = name.startsWith("/") ? name.substring(1) : name;
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
