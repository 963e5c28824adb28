package dev.mockstorage.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the AWS CLI from Debian's {@code awscli} package ({@code /usr/bin/aws}: another {@code aws} may
 * come first on PATH) the way a user points it at the server: {@code --endpoint-url}, keys and region
 * in the environment, path-style addressing in a config file, nothing read from the user's own AWS
 * files or the network.
 */
final class AwsCli {
    static final Path AWS = Path.of("/usr/bin/aws");

    private AwsCli() {}

    /** A config file in {@code workDir} with path-style addressing and everything else at its defaults. */
    static Path pathStyleConfig(Path workDir) {
        Path config = workDir.resolve("aws-path-style.config");
        try {
            if (!Files.exists(config)) {
                Files.writeString(config, "[default]\ns3 =\n    addressing_style = path\n");
            }
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code aws --endpoint-url <server> args...} with the server's keys and the path-style config. */
    static ExternalProcess.Result run(TestServer server, Path workDir, String... args) {
        return run(
                server.url(),
                server.server().accessKey(),
                server.server().secretKey(),
                pathStyleConfig(workDir),
                workDir,
                args);
    }

    /** {@code aws --endpoint-url <endpoint> args...} signing with these keys and reading {@code config}; skipped or failed when not installed. */
    static ExternalProcess.Result run(
            String endpoint, String accessKey, String secretKey, Path config, Path workDir, String... args) {
        ExternalProcess.requireExecutable(AWS, "apt-get install awscli");
        List<String> command = new ArrayList<>(List.of(AWS.toString(), "--endpoint-url", endpoint, "--no-cli-pager"));
        command.addAll(List.of(args));
        Map<String, String> env = new HashMap<>();
        env.put("AWS_ACCESS_KEY_ID", accessKey);
        env.put("AWS_SECRET_ACCESS_KEY", secretKey);
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_CONFIG_FILE", config.toString());
        env.put(
                "AWS_SHARED_CREDENTIALS_FILE",
                workDir.resolve("no-credentials-file").toString());
        env.put("AWS_PAGER", "");
        return ExternalProcess.run(command, workDir, env, "AWS_", null, ExternalProcess.DEFAULT_TIMEOUT);
    }
}
