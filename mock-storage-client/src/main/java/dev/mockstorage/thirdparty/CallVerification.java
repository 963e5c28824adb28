package dev.mockstorage.thirdparty;

import dev.mockstorage.verification.NearestMiss;
import dev.mockstorage.verification.Times;
import java.util.List;

/** Builds the failure message of {@link ThirdParty#verify}: the count, the matching calls, the closest others, the unscripted ones. */
final class CallVerification {
    /** Closest non-matching calls a failure message lists. */
    private static final int CLOSEST_SHOWN = 3;
    /** Unscripted calls a failure message lists. */
    private static final int UNMATCHED_SHOWN = 10;

    private CallVerification() {}

    static void verify(List<UpstreamCall> all, Times times, Match match) {
        List<UpstreamCall> matching = all.stream().filter(match::matches).toList();
        int found = matching.size();
        if (times.accepts(found)) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        sb.append("expected ")
                .append(times.isExact() ? Integer.toString(times.min()) : times.toString())
                .append(" third-party call")
                .append(times.isExact() && times.min() == 1 ? "" : "s")
                .append(" matching ")
                .append(match)
                .append(" but there ")
                .append(found == 1 ? "was " : "were ")
                .append(found)
                .append(" (")
                .append(all.size())
                .append(" recorded in all)");
        if (found > 0) {
            sb.append("\nmatching calls:");
            matching.forEach(c -> sb.append("\n  ").append(c));
        }
        List<NearestMiss.Candidate<UpstreamCall>> others = NearestMiss.nearest(
                all.stream().filter(c -> !match.matches(c)).toList(), match::difference, CLOSEST_SHOWN);
        if (!others.isEmpty()) {
            sb.append("\nclosest other calls:");
            others.forEach(c -> sb.append("\n  ")
                    .append(c.value())
                    .append("  [")
                    .append(c.difference())
                    .append("]"));
        }
        List<UpstreamCall> unmatched =
                all.stream().filter(UpstreamCall::unmatched).toList();
        if (!unmatched.isEmpty()) {
            sb.append("\nunscripted calls (answered 404): ").append(unmatched.size());
            unmatched.stream()
                    .limit(UNMATCHED_SHOWN)
                    .forEach(c -> sb.append("\n  ").append(c));
        }
        throw new AssertionError(sb.toString());
    }
}
