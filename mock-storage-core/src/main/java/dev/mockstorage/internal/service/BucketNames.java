package dev.mockstorage.internal.service;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import java.util.Set;
import java.util.regex.Pattern;

/** S3's bucket naming rules (general purpose buckets), plus the names the admin API needs for itself. */
final class BucketNames {
    /** First path segments the admin API answers on the same port. */
    static final Set<String> RESERVED = Set.of("api", "health", "metrics");

    private static final Pattern ALLOWED = Pattern.compile("[a-z0-9][a-z0-9.-]*[a-z0-9]");
    private static final Pattern IP_ADDRESS = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private BucketNames() {}

    static void validate(String name) {
        String problem = problem(name);
        if (problem != null) {
            throw new StorageException(
                            ErrorCode.InvalidBucketName, "The specified bucket is not valid: " + problem, name)
                    .with("BucketName", name);
        }
    }

    private static String problem(String name) {
        if (name.length() < 3 || name.length() > 63) {
            return "'" + name + "' has " + name.length() + " characters; bucket names have 3 to 63";
        }
        if (!ALLOWED.matcher(name).matches()) {
            return "'" + name
                    + "' may only contain lower-case letters, digits, '.' and '-', and must begin and end with a letter or digit";
        }
        if (name.contains("..")) {
            return "'" + name + "' contains two adjacent periods";
        }
        if (name.contains(".-") || name.contains("-.")) {
            return "'" + name + "' has a period next to a hyphen";
        }
        if (IP_ADDRESS.matcher(name).matches()) {
            return "'" + name + "' is formatted as an IP address";
        }
        for (String prefix : new String[] {"xn--", "sthree-", "amzn-s3-demo-"}) {
            if (name.startsWith(prefix)) {
                return "'" + name + "' starts with the reserved prefix '" + prefix + "'";
            }
        }
        for (String suffix : new String[] {"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"}) {
            if (name.endsWith(suffix)) {
                return "'" + name + "' ends with the reserved suffix '" + suffix + "'";
            }
        }
        if (RESERVED.contains(name)) {
            return "'" + name + "' is reserved: mock-storage serves its admin API at /" + name + " on the same port";
        }
        return null;
    }
}
