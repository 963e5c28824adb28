package dev.mockstorage.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the curl examples of the repository's README against a real server, so the README cannot
 * drift from what the server does.
 *
 * <p>The convention, in README.md at the repository root:
 * <pre>
 * &lt;!-- curl-examples:start --&gt;
 * ```sh
 * echo hello &gt; hello.txt
 * curl -T hello.txt http://localhost:8080/my-bucket/hello.txt
 * curl http://localhost:8080/my-bucket/hello.txt
 * # prints: hello
 * ```
 * &lt;!-- curl-examples:end --&gt;
 * </pre>
 * <ul>
 *   <li>Only the first fenced block between the two markers is read; the fence lines are skipped.</li>
 *   <li>Every other non-blank line not starting with {@code #} is a command, run in order with
 *       {@code bash -c LINE} in one fresh temp directory (so files made by earlier lines exist);
 *       a line ending in {@code \} continues on the next. It must exit with 0.</li>
 *   <li>{@code # prints: TEXT} means the stdout of the previous command contains TEXT (several may
 *       follow one command). Any other line starting with {@code #} is a comment.</li>
 *   <li>{@code http://localhost:8080} is replaced by the test server's endpoint; the server creates
 *       buckets on first PUT ({@code autoCreateBuckets(true)}).</li>
 * </ul>
 * A missing README, missing markers or a block without a curl command fail the test.
 */
class ReadmeCurlExamplesTest {

    static final String START = "<!-- curl-examples:start -->";
    static final String END = "<!-- curl-examples:end -->";
    static final String PRINTS = "# prints:";
    static final String README_ENDPOINT = "http://localhost:8080";

    @TempDir
    Path dataDir;

    @TempDir
    Path workDir;

    /** One command of the block, with the line it starts on and what its stdout must contain. */
    record Example(int line, String command, List<String> prints) {}

    @Test
    void curlExamplesInTheReadmeWorkAgainstTheServer() throws IOException {
        ExternalProcess.requireExecutable(CurlTest.CURL, "apt-get install curl");
        Path readme = repositoryRoot().resolve("README.md");
        if (!Files.isRegularFile(readme)) {
            fail("README.md not found at the repository root " + readme.getParent()
                    + "; it must contain a fenced sh block between " + START + " and " + END);
        }
        List<Example> examples = parse(Files.readAllLines(readme, StandardCharsets.UTF_8), readme);
        assertTrue(
                examples.stream().anyMatch(e -> e.command().contains("curl")),
                "the curl-examples block of " + readme + " contains no curl command");

        try (TestServer server = TestServer.start(dataDir, b -> b.autoCreateBuckets(true))) {
            for (Example example : examples) {
                String command = example.command().replace(README_ENDPOINT, server.url());
                assertFalse(
                        command.contains("localhost:8080"),
                        "README.md line " + example.line() + " names the endpoint in a form other than "
                                + README_ENDPOINT + ": " + example.command());
                ExternalProcess.Result result = ExternalProcess.bash(command, workDir, null);
                if (result.exitCode() != 0) {
                    fail("README.md line " + example.line() + " failed: " + result.describe());
                }
                for (String expected : example.prints()) {
                    if (!result.stdout().contains(expected)) {
                        fail("README.md line " + example.line() + " should print '" + expected + "': "
                                + result.describe());
                    }
                }
            }
        }
    }

    static List<Example> parse(List<String> lines, Path readme) {
        int start = indexOf(lines, START, 0);
        if (start < 0) {
            fail(readme + " has no " + START + " marker; put the curl examples in a fenced sh block between " + START
                    + " and " + END);
        }
        int end = indexOf(lines, END, start + 1);
        if (end < 0) {
            fail(readme + " has " + START + " (line " + (start + 1) + ") but no " + END + " after it");
        }
        int open = -1;
        for (int i = start + 1; i < end; i++) {
            if (lines.get(i).trim().startsWith("```")) {
                open = i;
                break;
            }
        }
        int close = -1;
        for (int i = open + 1; open >= 0 && i < end; i++) {
            if (lines.get(i).trim().startsWith("```")) {
                close = i;
                break;
            }
        }
        if (open < 0 || close < 0) {
            fail(readme + ": no complete ``` fenced block between the curl-examples markers (lines " + (start + 1) + "-"
                    + (end + 1) + ")");
        }

        List<Example> examples = new ArrayList<>();
        StringBuilder pending = null;
        int pendingLine = 0;
        for (int i = open + 1; i < close; i++) {
            String line = lines.get(i);
            String trimmed = line.trim();
            if (pending != null) {
                pending.append('\n').append(line);
                if (!trimmed.endsWith("\\")) {
                    examples.add(new Example(pendingLine, pending.toString(), new ArrayList<>()));
                    pending = null;
                }
                continue;
            }
            if (trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.startsWith(PRINTS)) {
                if (examples.isEmpty()) {
                    fail("README.md line " + (i + 1) + ": '" + PRINTS + "' before any command");
                }
                String text = trimmed.substring(PRINTS.length());
                examples.get(examples.size() - 1).prints().add(text.startsWith(" ") ? text.substring(1) : text);
                continue;
            }
            if (trimmed.startsWith("#")) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                pending = new StringBuilder(line);
                pendingLine = i + 1;
            } else {
                examples.add(new Example(i + 1, line, new ArrayList<>()));
            }
        }
        if (pending != null) {
            fail("README.md line " + pendingLine + ": continuation '\\' runs into the end of the block");
        }
        return examples;
    }

    private static int indexOf(List<String> lines, String marker, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).contains(marker)) {
                return i;
            }
        }
        return -1;
    }

    /** The nearest ancestor of the working directory holding the parent pom and the core module. */
    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("mock-storage-core"))) {
                return dir;
            }
        }
        throw new AssertionError("no repository root (a directory with pom.xml and mock-storage-core/) above "
                + Path.of("").toAbsolutePath());
    }
}
