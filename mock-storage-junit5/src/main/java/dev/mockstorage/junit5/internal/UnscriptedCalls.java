package dev.mockstorage.junit5.internal;

import dev.mockstorage.thirdparty.Match;
import dev.mockstorage.thirdparty.ThirdParty;
import dev.mockstorage.thirdparty.ThirdPartyScript;
import dev.mockstorage.thirdparty.UpstreamCall;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** {@code failOnUnscriptedCalls}: the failure a test gets when the scripted third party saw calls no script matched. */
final class UnscriptedCalls {

    private static final int SHOWN = 20;

    private UnscriptedCalls() {
    }

    /** @throws AssertionError listing each unmatched call and the script closest to it */
    static void check(ThirdParty thirdParty) {
        List<UpstreamCall> unmatched = thirdParty.unmatchedCalls();
        if (unmatched.isEmpty()) {
            return;
        }
        throw new AssertionError(message(unmatched, thirdParty.scripts()));
    }

    static String message(List<UpstreamCall> unmatched, List<ThirdPartyScript> scripts) {
        StringBuilder sb = new StringBuilder();
        sb.append(unmatched.size()).append(unmatched.size() == 1 ? " third-party call" : " third-party calls")
                .append(" matched no script (answered 404, the client saw NoSuchKey):");
        for (UpstreamCall call : unmatched.stream().limit(SHOWN).toList()) {
            sb.append("\n  ").append(call.method()).append(' ').append(call.url());
            scripts.stream().min(Comparator.comparingInt(s -> distance(s.match(), call))).ifPresent(s ->
                    sb.append("\n    closest script: ").append(s.id() == null ? "" : s.id() + " ")
                            .append("(").append(s.match()).append(") ").append(why(s.match(), call)));
        }
        if (unmatched.size() > SHOWN) {
            sb.append("\n  ... and ").append(unmatched.size() - SHOWN).append(" more");
        }
        if (scripts.isEmpty()) {
            sb.append("\n  (no scripts are set)");
        }
        sb.append("\nScript these calls, or use @MockStorage(failOnUnscriptedCalls = false) when a 404 is what the test wants.");
        return sb.toString();
    }

    /** Failed conditions first (method, bucket, key, url), then the edit distance of the key. */
    private static int distance(Match m, UpstreamCall c) {
        int failed = failures(m, c).size();
        String want = m.key() != null ? m.key() : m.keyPrefix() != null ? m.keyPrefix() : m.url() != null ? m.url() : null;
        String got = m.url() != null && m.key() == null && m.keyPrefix() == null ? c.url() : c.key();
        int edit = want == null ? 0 : Math.min(levenshtein(want, got == null ? "" : got), 999);
        return failed * 1000 + edit;
    }

    private static String why(Match m, UpstreamCall c) {
        List<String> f = failures(m, c);
        return f.isEmpty() ? "" : "differs in " + String.join(", ", f);
    }

    private static List<String> failures(Match m, UpstreamCall c) {
        List<String> parts = new ArrayList<>();
        if (m.method() != null && !m.method().equalsIgnoreCase(c.method())) {
            parts.add("method (" + c.method() + ")");
        }
        if (m.bucket() != null && !m.bucket().equals(c.bucket())) {
            parts.add("bucket (" + c.bucket() + ")");
        }
        if (!new Match(null, null, m.key(), m.keyPrefix(), m.keyRegex(), null, null).matches(c.method(), c.url(), c.bucket(), c.key())) {
            parts.add("key (\"" + c.key() + "\")");
        }
        if (!new Match(null, null, null, null, null, m.url(), m.urlRegex()).matches(c.method(), c.url(), c.bucket(), c.key())) {
            parts.add("url (" + c.url() + ")");
        }
        return parts;
    }

    private static int levenshtein(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
