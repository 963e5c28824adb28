package dev.mockstorage.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a boto3 script, the Python SDK as Debian ships it ({@code python3-boto3}, called through
 * {@code /usr/bin/python3} because another {@code python3} may come first on PATH), against a server.
 * The script starts with {@code s3}, a client configured the way a Python user would: endpoint,
 * path-style addressing, us-east-1, the server's keys, everything else at its default. Whatever the
 * script prints is the result; a failing script fails the test with its output.
 */
final class Boto3 {
    static final Path PYTHON = Path.of("/usr/bin/python3");

    private static final String PRELUDE = """
            import os, sys, json, hashlib
            import boto3
            from botocore.config import Config
            s3 = boto3.client("s3", endpoint_url=os.environ["MOCK_STORAGE_ENDPOINT"], region_name="us-east-1",
                              aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"],
                              aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"],
                              config=Config(s3={"addressing_style": "path"}))
            """;

    private Boto3() {}

    /**
     * Requires {@code /usr/bin/python3} with boto3. Missing: a test fails when the environment variable
     * {@code CI} is set (CI installs {@code python3-boto3}), elsewhere it is aborted saying why.
     */
    static void require(Path workDir) {
        ExternalProcess.requireExecutable(PYTHON, "apt-get install python3-boto3");
        ExternalProcess.Result probe = ExternalProcess.run(
                List.of(PYTHON.toString(), "-c", "import boto3"),
                workDir,
                Map.of(),
                null,
                null,
                ExternalProcess.DEFAULT_TIMEOUT);
        if (probe.exitCode() != 0) {
            String reason = "boto3 is not importable by " + PYTHON + " (apt-get install python3-boto3): "
                    + probe.stderr().strip();
            if (System.getenv("CI") != null) {
                fail(reason + "; CI is set, so this test must not be skipped");
            }
            Assumptions.abort(reason);
        }
    }

    /** Runs {@code script} after the prelude (which defines {@code s3}) and returns what it printed; fails unless it exits 0. */
    static String run(TestServer server, Path workDir, String script) {
        require(workDir);
        Map<String, String> env = new HashMap<>();
        env.put("MOCK_STORAGE_ENDPOINT", server.url());
        env.put("AWS_ACCESS_KEY_ID", server.server().accessKey());
        env.put("AWS_SECRET_ACCESS_KEY", server.server().secretKey());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_CONFIG_FILE", workDir.resolve("no-aws-config").toString());
        env.put(
                "AWS_SHARED_CREDENTIALS_FILE",
                workDir.resolve("no-aws-credentials").toString());
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        ExternalProcess.Result result = ExternalProcess.run(
                List.of(PYTHON.toString(), "-"),
                workDir,
                env,
                "AWS_",
                (PRELUDE + script).getBytes(StandardCharsets.UTF_8),
                ExternalProcess.DEFAULT_TIMEOUT);
        return result.assertSuccess().stdout();
    }
}
