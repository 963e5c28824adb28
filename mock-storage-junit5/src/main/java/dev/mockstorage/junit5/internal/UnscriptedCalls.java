package dev.mockstorage.junit5.internal;

import dev.mockstorage.thirdparty.ThirdParty;
import dev.mockstorage.thirdparty.ThirdPartyScript;
import dev.mockstorage.thirdparty.UpstreamCall;
import dev.mockstorage.verification.NearestMiss;
import java.util.List;

/** {@code failOnUnscriptedCalls}: the failure a test gets when the scripted third party saw calls no script matched. */
final class UnscriptedCalls {

    private static final int SHOWN = 20;

    private UnscriptedCalls() {}

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
        sb.append(unmatched.size())
                .append(unmatched.size() == 1 ? " third-party call" : " third-party calls")
                .append(" matched no script (answered 404, the client saw NoSuchKey):");
        for (UpstreamCall call : unmatched.stream().limit(SHOWN).toList()) {
            sb.append("\n  ").append(call.method()).append(' ').append(call.url());
            for (NearestMiss.Candidate<ThirdPartyScript> closest :
                    NearestMiss.nearest(scripts, s -> s.match().difference(call), 1)) {
                ThirdPartyScript s = closest.value();
                sb.append("\n    closest script: ")
                        .append(s.id() == null ? "" : s.id() + " ")
                        .append("(")
                        .append(s.match())
                        .append(") ")
                        .append(closest.difference());
            }
        }
        if (unmatched.size() > SHOWN) {
            sb.append("\n  ... and ").append(unmatched.size() - SHOWN).append(" more");
        }
        if (scripts.isEmpty()) {
            sb.append("\n  (no scripts are set)");
        }
        sb.append(
                "\nScript these calls, or use @MockStorage(failOnUnscriptedCalls = false) when a 404 is what the test wants.");
        return sb.toString();
    }
}
