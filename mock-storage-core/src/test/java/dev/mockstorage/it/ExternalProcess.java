package dev.mockstorage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs a real client (AWS CLI, curl, bash) as a child process with a timeout; output goes to files. */
final class ExternalProcess {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private ExternalProcess() {}

    /** What a finished process printed. */
    record Result(List<String> command, int exitCode, String stdout, String stderr) {

        /** Fails, showing the command, its stdout and stderr, unless it exited with 0. */
        Result assertSuccess() {
            assertEquals(0, exitCode, this::describe);
            return this;
        }

        String describe() {
            return "command " + command + " exited with " + exitCode + "\n--- stdout:\n" + stdout + "\n--- stderr:\n"
                    + stderr;
        }
    }

    /**
     * Requires a client binary. Missing: when the environment variable {@code CI} is set the test
     * fails (CI machines must have it), elsewhere the test is aborted (skipped) saying why.
     */
    static void requireExecutable(Path binary, String installHint) {
        if (Files.isExecutable(binary)) {
            return;
        }
        String reason = binary + " is not installed (" + installHint + "); this test drives the real client";
        if (System.getenv("CI") != null) {
            fail(reason + " and CI is set, so it must not be skipped");
        }
        Assumptions.abort(reason);
    }

    /**
     * Runs {@code command} in {@code workDir} with {@code env} added to (and {@code removeEnvPrefix}
     * variables removed from) this JVM's environment, feeding {@code stdin}; kills it after the timeout.
     */
    static Result run(
            List<String> command,
            Path workDir,
            Map<String, String> env,
            String removeEnvPrefix,
            byte[] stdin,
            Duration timeout) {
        try {
            Path out = Files.createTempFile("mockstorage-stdout", ".txt");
            Path err = Files.createTempFile("mockstorage-stderr", ".txt");
            Path in = Files.createTempFile("mockstorage-stdin", ".bin");
            Files.write(in, stdin == null ? new byte[0] : stdin);
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(in.toFile());
            if (removeEnvPrefix != null) {
                pb.environment().keySet().removeIf(k -> k.startsWith(removeEnvPrefix));
            }
            pb.environment().putAll(env);
            Process process = pb.start();
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            Result result = new Result(
                    command,
                    finished ? process.exitValue() : -1,
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            Files.deleteIfExists(in);
            if (!finished) {
                fail("timed out after " + timeout + ": " + result.describe());
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code bash -c line} in {@code workDir}. */
    static Result bash(String line, Path workDir, byte[] stdin) {
        return run(List.of("bash", "-c", line), workDir, Map.of(), null, stdin, DEFAULT_TIMEOUT);
    }
}
