package dev.mockstorage.journal;

import dev.mockstorage.verification.NearestMiss;
import dev.mockstorage.verification.Times;
import java.util.List;

/** Builds the failure message of {@link RequestJournal#verify}: expectation, closest miss, what was received. */
final class Verification {
    /** Most requests listed in a failure message. */
    static final int LISTED = 50;

    private Verification() {}

    static void verify(List<RecordedRequest> received, Times times, RequestPattern pattern) {
        int count = 0;
        for (RecordedRequest r : received) {
            if (pattern.matches(r)) {
                count++;
            }
        }
        if (times.accepts(count)) {
            return;
        }
        StringBuilder msg = new StringBuilder();
        msg.append("Expected ")
                .append(times)
                .append(" request(s) matching [")
                .append(pattern)
                .append("] but got ")
                .append(count)
                .append('.');
        List<NearestMiss.Candidate<RecordedRequest>> closest = NearestMiss.nearest(
                received.stream().filter(r -> !pattern.matches(r)).toList(), pattern::difference, 1);
        if (!closest.isEmpty() && count < times.min()) {
            msg.append("\nClosest request: ").append(closest.get(0).value());
        }
        msg.append("\nRequests received (").append(received.size()).append("):");
        if (received.isEmpty()) {
            msg.append(" none");
        }
        int from = Math.max(0, received.size() - LISTED);
        if (from > 0) {
            msg.append("\n  ... ").append(from).append(" earlier request(s) not listed");
        }
        for (int i = from; i < received.size(); i++) {
            RecordedRequest r = received.get(i);
            msg.append("\n  ").append(pattern.matches(r) ? "* " : "  ").append(r);
        }
        throw new AssertionError(msg.toString());
    }
}
