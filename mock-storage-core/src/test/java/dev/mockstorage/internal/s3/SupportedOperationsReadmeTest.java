package dev.mockstorage.internal.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Keeps the README's "Supported S3 operations" table equal to the route table, each row naming an existing test. */
class SupportedOperationsReadmeTest {
    private static final Path REPO = Path.of("..");
    private static final Path TESTS = Path.of("src/test/java");

    @Test
    void everyRoutedOperationHasASupportedRowBackedByAnExistingTest() throws IOException {
        String readme = Files.readString(REPO.resolve("README.md"));
        Matcher section = Pattern.compile(
                        "<!-- supported-operations -->\\n(.*?)<!-- /supported-operations -->", Pattern.DOTALL)
                .matcher(readme);
        assertTrue(section.find(), "README.md has no supported-operations markers");
        List<String> supported = new ArrayList<>();
        Matcher row = Pattern.compile("^\\| `(\\w+)` \\| supported \\| (.+) \\|$", Pattern.MULTILINE)
                .matcher(section.group(1));
        while (row.find()) {
            supported.add(row.group(1));
            Matcher test = Pattern.compile("`(\\w+Test)`").matcher(row.group(2));
            boolean any = false;
            while (test.find()) {
                any = true;
                String name = test.group(1);
                try (var files = Files.walk(TESTS)) {
                    assertTrue(
                            files.anyMatch(f -> f.getFileName().toString().equals(name + ".java")),
                            row.group(1) + " names " + name + ", which does not exist");
                }
            }
            assertTrue(any, row.group(1) + " names no test");
        }
        assertEquals(
                new S3Api(null, "us-east-1").operations(),
                supported,
                "README.md's operations table differs from S3Api's route table (same order)");
    }
}
