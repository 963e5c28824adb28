package dev.mockstorage.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every Java snippet in the README is a sample that compiles and runs: keeps the two equal. */
class ReadmeSamplesTest {

    private static final Path REPO = Path.of("..");

    private static String between(String text, String start, String end, String where) {
        Matcher m = Pattern.compile(Pattern.quote(start) + "\n(.*?)" + Pattern.quote(end), Pattern.DOTALL).matcher(text);
        assertTrue(m.find(), where + " has no " + start + " marker");
        return m.group(1);
    }

    @Test
    void theReadmesContainerExampleIsTheSample() throws IOException {
        String sample = between(Files.readString(Path.of("src/test/java/dev/mockstorage/samples/ContainerSampleIT.java")),
                "// sample:container:start", "// sample:container:end", "ContainerSampleIT.java");
        String readme = between(Files.readString(REPO.resolve("README.md")),
                "<!-- sample:container:start -->", "<!-- sample:container:end -->", "README.md");
        assertEquals("```java\n" + sample + "```\n", readme,
                "README.md's Testcontainers example differs from samples/.../ContainerSampleIT.java; copy the sample between the markers");
    }

    @Test
    void theReadmesJUnit5ExampleIsTheSample() throws IOException {
        String sample = between(Files.readString(Path.of("src/test/java/dev/mockstorage/samples/JUnit5SampleTest.java")),
                "// sample:junit5:start", "// sample:junit5:end", "JUnit5SampleTest.java");
        String readme = between(Files.readString(REPO.resolve("README.md")),
                "<!-- sample:junit5:start -->", "<!-- sample:junit5:end -->", "README.md");
        assertEquals("```java\n" + sample + "```\n", readme,
                "README.md's JUnit 5 example differs from samples/.../JUnit5SampleTest.java; copy the sample between the markers");
    }

    @Test
    void theReadmesRuntimeExampleIsTheTestRunAgainstBothTransports() throws IOException {
        String sample = between(Files.readString(REPO.resolve(
                        "mock-storage-testcontainer/src/test/java/dev/mockstorage/testcontainer/MockStorageRuntimeIT.java")),
                "// sample:runtime:start", "    // sample:runtime:end", "MockStorageRuntimeIT.java");
        String readme = between(Files.readString(REPO.resolve("README.md")),
                "<!-- sample:runtime:start -->", "<!-- sample:runtime:end -->", "README.md");
        assertEquals("```java\n" + sample + "```\n", readme,
                "README.md's runtime() example differs from MockStorageRuntimeIT.java; copy the test between the markers");
    }

    @Test
    void theReadmesStrictAuthExampleIsTheSample() throws IOException {
        String sample = between(Files.readString(Path.of("src/test/java/dev/mockstorage/samples/StrictAuthSampleTest.java")),
                "        // sample:strict-auth:start", "        // sample:strict-auth:end", "StrictAuthSampleTest.java");
        String readme = between(Files.readString(REPO.resolve("README.md")),
                "<!-- sample:strict-auth:start -->", "<!-- sample:strict-auth:end -->", "README.md");
        String dedented = sample.lines().map(l -> l.startsWith("        ") ? l.substring(8) : l)
                .reduce("", (a, l) -> a + l + "\n");
        assertEquals("```java\n" + dedented + "```\n", readme,
                "README.md's strict-auth example differs from samples/.../StrictAuthSampleTest.java (dedented by 8); copy it between the markers");
    }
}
