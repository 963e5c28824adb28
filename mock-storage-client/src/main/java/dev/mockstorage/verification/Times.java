package dev.mockstorage.verification;

/**
 * How many matching requests or calls a verification expects: {@code exactly(1)}, {@code atLeast(2)},
 * {@code never()}. The request journal ({@code RequestJournal.verify}) and the third party
 * ({@code ThirdParty.verify}) take it alike. Plain data: {@code min} and {@code max} (inclusive,
 * {@link Integer#MAX_VALUE} for no bound).
 *
 * @param min fewest matches accepted
 * @param max most matches accepted
 */
public record Times(int min, int max) {

    public Times {
        if (min < 0 || max < min) {
            throw new IllegalArgumentException("invalid count range " + min + ".." + max);
        }
    }

    /** Exactly {@code n} matches. */
    public static Times exactly(int n) {
        return new Times(n, n);
    }

    /** At least {@code n} matches. */
    public static Times atLeast(int n) {
        return new Times(n, Integer.MAX_VALUE);
    }

    /** At most {@code n} matches (zero included). */
    public static Times atMost(int n) {
        return new Times(0, n);
    }

    /** Exactly once. */
    public static Times once() {
        return exactly(1);
    }

    /** No match. */
    public static Times never() {
        return exactly(0);
    }

    /** True when {@code count} is in range. */
    public boolean accepts(long count) {
        return count >= min && count <= max;
    }

    /** True when exactly one count is accepted ({@link #min()} equals {@link #max()}). */
    public boolean isExact() {
        return min == max;
    }

    @Override
    public String toString() {
        if (min == max) {
            return "exactly " + min;
        }
        return max == Integer.MAX_VALUE ? "at least " + min : min == 0 ? "at most " + max : min + " to " + max;
    }
}
