package dev.mockstorage.verification;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The "closest" part of a failure message: which recorded requests, calls or scripts come nearest to
 * what was expected, and how they differ. The request journal, the third party's verification and the
 * JUnit extension's report of unscripted calls all rank with it, the same way: fewest conditions that
 * fail first, then the smallest edit distance between the expected key (or URL) and the actual one;
 * candidates that tie keep their order.
 *
 * <pre>{@code
 * NearestMiss.nearest(calls, call -> match.difference(call), 3)
 * }</pre>
 */
public final class NearestMiss {
    private NearestMiss() {}

    /** A candidate and how it differs from the expectation. */
    public record Candidate<T>(T value, Difference difference) {}

    /** The candidates nearest first, at most {@code limit}; those that tie keep their order. */
    public static <T> List<Candidate<T>> nearest(
            Collection<? extends T> candidates, Function<? super T, Difference> measure, int limit) {
        List<Candidate<T>> measured = new ArrayList<>(candidates.size());
        for (T c : candidates) {
            measured.add(new Candidate<>(c, measure.apply(c)));
        }
        measured.sort(Comparator.comparingInt(c -> c.difference().distance()));
        return measured.size() > limit ? List.copyOf(measured.subList(0, limit)) : measured;
    }

    /**
     * How one candidate differs from an expectation: the conditions it fails, each named with the
     * candidate's value ({@code key "cat.jpg"}), and the edit distance of its key or URL. Built by the
     * expectation ({@code Match.difference}, {@code RequestPattern.difference}).
     */
    public static final class Difference {
        /** Edit distances are capped here, so that one more failed condition always ranks further away. */
        private static final int MAX_EDITS = 999;

        private final List<String> failed = new ArrayList<>(4);
        private int edits;

        /**
         * A condition on one property; when it does not hold it counts, described as {@code property actual}.
         *
         * @param actual the candidate's value as a message shows it (e.g. quoted)
         */
        public Difference condition(String property, boolean holds, String actual) {
            if (!holds) {
                failed.add(property + " " + actual);
            }
            return this;
        }

        /** Ranks by the edit distance from {@code expected} to {@code actual} (null counts as empty); none when {@code expected} is null. */
        public Difference edits(String expected, String actual) {
            edits = expected == null ? 0 : Math.min(editDistance(expected, actual == null ? "" : actual), MAX_EDITS);
            return this;
        }

        /** The failed conditions, in the order checked. */
        public List<String> failed() {
            return List.copyOf(failed);
        }

        /** Failed conditions first, then edits: smaller is nearer. */
        int distance() {
            return failed.size() * (MAX_EDITS + 1) + edits;
        }

        /** {@code differs in method HEAD, key "cat.jpg"}, or empty when every condition holds. */
        @Override
        public String toString() {
            return failed.isEmpty() ? "" : "differs in " + String.join(", ", failed);
        }

        /** Levenshtein distance: single-character insertions, deletions and substitutions. */
        static int editDistance(String a, String b) {
            int[] prev = new int[b.length() + 1];
            int[] cur = new int[b.length() + 1];
            for (int j = 0; j <= b.length(); j++) {
                prev[j] = j;
            }
            for (int i = 1; i <= a.length(); i++) {
                cur[0] = i;
                for (int j = 1; j <= b.length(); j++) {
                    int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                    cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                }
                int[] t = prev;
                prev = cur;
                cur = t;
            }
            return prev[b.length()];
        }
    }
}
