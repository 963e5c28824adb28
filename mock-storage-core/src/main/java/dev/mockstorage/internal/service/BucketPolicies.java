package dev.mockstorage.internal.service;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Bucket policies: what S3 checks when one is put (JSON, statements with an effect, a principal, actions on
 * this bucket's resources) and whether it is public, as GetBucketPolicyStatus and a public access block's
 * {@code BlockPublicPolicy} judge it. The policy itself is kept as given, byte for byte; it is never enforced.
 */
public final class BucketPolicies {
    /** Largest policy S3 takes, in bytes. */
    public static final int MAX_BYTES = 20 * 1024;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();
    /**
     * Condition keys that tie a statement to fixed callers, so a wildcard principal under them is not public
     * (S3's list, "The meaning of public"); compared case-insensitively.
     */
    private static final Set<String> RESTRICTING_KEYS = Set.of(
            "aws:sourcearn",
            "aws:sourcevpc",
            "aws:sourcevpce",
            "aws:sourceowner",
            "aws:sourceaccount",
            "aws:principalaccount",
            "aws:principalorgid",
            "aws:principalarn",
            "aws:userid",
            "aws:sourceip",
            "aws:principalorgpaths",
            "s3:dataaccesspointarn",
            "s3:dataaccesspointaccount");

    private BucketPolicies() {}

    /**
     * Checks a policy as S3 does before storing it: at most {@value #MAX_BYTES} bytes of JSON whose first byte is
     * {@code {}, a {@code Statement} (one or a list) whose every statement has {@code Effect} Allow or Deny, a
     * {@code Principal} (or {@code NotPrincipal}), an {@code Action} (or {@code NotAction}) and resources of
     * {@code bucket} only. {@code MalformedPolicy} names what is wrong.
     */
    public static void validate(String bucket, String policy) {
        if (policy.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw malformed("Policies cannot be larger than " + MAX_BYTES + " bytes");
        }
        if (policy.isEmpty() || policy.charAt(0) != '{') {
            throw malformed("Policies must be valid JSON and the first byte must be '{'");
        }
        for (JsonNode statement : statements(policy)) {
            if (!statement.isObject()) {
                throw malformed("Statement must be an object");
            }
            String effect = statement.path("Effect").asText("");
            if (!effect.equals("Allow") && !effect.equals("Deny")) {
                throw malformed("Invalid effect: " + (effect.isEmpty() ? "Effect is missing" : effect));
            }
            if (!statement.has("Principal") && !statement.has("NotPrincipal")) {
                throw malformed("Missing required field Principal");
            }
            JsonNode actions = statement.has("Action") ? statement.get("Action") : statement.get("NotAction");
            if (actions == null) {
                throw malformed("Missing required field Action");
            }
            for (String action : texts(actions)) {
                if (!action.equals("*") && !action.toLowerCase(Locale.ROOT).startsWith("s3:")) {
                    throw malformed("Policy has invalid action");
                }
            }
            JsonNode resources = statement.has("Resource") ? statement.get("Resource") : statement.get("NotResource");
            if (resources == null) {
                throw malformed("Missing required field Resource");
            }
            String arn = "arn:aws:s3:::" + bucket;
            for (String resource : texts(resources)) {
                if (!resource.equals(arn) && !resource.startsWith(arn + "/")) {
                    throw malformed("Policy has invalid resource");
                }
            }
        }
    }

    /**
     * Whether S3 would call the policy public: a statement allows a wildcard principal ({@code "*"} or
     * {@code {"AWS": "*"}}) without a condition on a key that ties it to fixed callers (source IP, VPC,
     * account, organization, ...).
     */
    public static boolean isPublic(String policy) {
        for (JsonNode statement : statements(policy)) {
            if (!"Allow".equals(statement.path("Effect").asText()) || !wildcardPrincipal(statement.get("Principal"))) {
                continue;
            }
            if (!restricted(statement.get("Condition"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean wildcardPrincipal(JsonNode principal) {
        if (principal == null) {
            return false;
        }
        if (principal.isTextual()) {
            return principal.asText().equals("*");
        }
        JsonNode aws = principal.get("AWS");
        return aws != null && texts(aws).contains("*");
    }

    private static boolean restricted(JsonNode condition) {
        if (condition == null || !condition.isObject()) {
            return false;
        }
        for (JsonNode operator : condition) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = operator.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = fields.next();
                if (RESTRICTING_KEYS.contains(entry.getKey().toLowerCase(Locale.ROOT))
                        && !texts(entry.getValue()).contains("*")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<JsonNode> statements(String policy) {
        JsonNode root;
        try {
            root = JSON.readTree(policy);
        } catch (JsonProcessingException e) {
            throw malformed("Policies must be valid JSON: " + e.getOriginalMessage());
        }
        JsonNode statement = root == null ? null : root.get("Statement");
        if (statement == null || statement.isNull()) {
            throw malformed("Missing required field Statement");
        }
        List<JsonNode> list = new ArrayList<>();
        if (statement.isArray()) {
            statement.forEach(list::add);
        } else {
            list.add(statement);
        }
        if (list.isEmpty()) {
            throw malformed("Missing required field Statement");
        }
        return list;
    }

    /** A string or a list of strings. */
    private static List<String> texts(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else {
            out.add(node.asText());
        }
        return out;
    }

    private static StorageException malformed(String message) {
        return new StorageException(ErrorCode.MalformedPolicy, message);
    }
}
