package dev.mockstorage.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every README block between {@code <!-- sample:NAME:start -->} and {@code <!-- sample:NAME:end -->} is the
 * text between {@code sample:NAME:start} and {@code sample:NAME:end} in a file that is compiled and run (a
 * sample test, an integration test, the consumer project's pom), less its common indentation: keeps the two equal.
 */
class ReadmeSamplesTest {

    private static final Path REPO = Path.of("..");
    private static final List<Path> SOURCES = List.of(
            REPO.resolve("samples/src/test/java"),
            REPO.resolve("samples/consumer/pom.xml"),
            REPO.resolve("samples/consumer/src/test/java"),
            REPO.resolve("mock-storage-testcontainer/src/test/java"));
    private static final Pattern README_SAMPLE = Pattern.compile(
            "<!-- sample:([a-z0-9-]+):start -->\n```([a-z]+)\n(.*?)```\n<!-- sample:\\1:end -->", Pattern.DOTALL);

    @Test
    void everyReadmeSampleIsTheTextOfACompiledFile() throws IOException {
        String readme = Files.readString(REPO.resolve("README.md"));
        Matcher m = README_SAMPLE.matcher(readme);
        List<String> names = new ArrayList<>();
        while (m.find()) {
            String name = m.group(1);
            names.add(name);
            assertEquals(source(name), m.group(3), "README.md's sample '" + name + "' differs from the marked text in "
                    + fileWith(name) + "; copy it between the README's markers (less the common indentation)");
        }
        assertTrue(names.containsAll(List.of("junit5", "junit5-dependencies", "container", "container-dependencies",
                "runtime", "strict-auth", "strict-auth-imports", "third-party", "faults", "consistency", "journal-imports",
                "journal")), "samples found in README.md: " + names);
        assertEquals(names.size(), names.stream().distinct().count(), "a sample name is used twice: " + names);
    }

    @Test
    void everyJavaBlockOfTheReadmeIsASample() throws IOException {
        String readme = Files.readString(REPO.resolve("README.md"));
        String outsideSamples = README_SAMPLE.matcher(readme).replaceAll("");
        Matcher java = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(outsideSamples);
        List<String> loose = new ArrayList<>();
        while (java.find()) {
            loose.add(java.group(1).lines().findFirst().orElse(""));
        }
        assertEquals(List.of(), loose, "README.md has Java blocks that no compiled file holds: mark them as samples"
                + " (<!-- sample:NAME:start --> around the block, // sample:NAME:start in a test)");
    }

    @Test
    void theConsumerProjectUsesThisVersion() throws IOException {
        String version = between(Files.readString(REPO.resolve("pom.xml")), "<version>", "</version>");
        Matcher m = Pattern.compile("<artifactId>(mock-storage-[a-z0-9-]+)</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(REPO.resolve("samples/consumer/pom.xml")));
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
            assertEquals(version, m.group(2), "samples/consumer/pom.xml must use the version being built for " + m.group(1));
        }
        assertEquals(List.of("mock-storage-junit5", "mock-storage-testcontainer"), found);
    }

    private static String between(String text, String start, String end) {
        int i = text.indexOf(start);
        assertFalse(i < 0, "no " + start);
        return text.substring(i + start.length(), text.indexOf(end, i));
    }

    private static Path fileWith(String name) {
        List<Path> found = new ArrayList<>();
        for (Path root : SOURCES) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(Files::isRegularFile).filter(f -> read(f).contains("sample:" + name + ":start")).forEach(found::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (found.size() != 1) {
            fail("sample '" + name + "' must be marked in exactly one compiled file, found " + found);
        }
        return found.get(0);
    }

    /** The lines strictly between the marker lines, less their common indentation. */
    private static String source(String name) {
        List<String> lines = read(fileWith(name)).lines().toList();
        int start = -1;
        int end = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("sample:" + name + ":start")) {
                start = i;
            } else if (lines.get(i).contains("sample:" + name + ":end")) {
                end = i;
            }
        }
        assertTrue(start >= 0 && end > start, "sample '" + name + "' has no end marker after its start");
        List<String> body = lines.subList(start + 1, end);
        int indent = body.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
                .min().orElse(0);
        StringBuilder text = new StringBuilder();
        body.forEach(l -> text.append(l.isBlank() ? "" : l.substring(indent)).append('\n'));
        return text.toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
