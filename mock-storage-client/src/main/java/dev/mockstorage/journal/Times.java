package dev.mockstorage.journal;

/**
 * How many matching requests a verification expects: {@code exactly(1)}, {@code atLeast(2)},
 * {@code never()}. Plain data: {@code min} and {@code max} (inclusive, {@link Integer#MAX_VALUE} for no bound).
 *
 * @param min fewest matching requests accepted
 * @param max most matching requests accepted
 */
public record Times(int min, int max) {

    public Times {
        if (min < 0 || max < min) {
            throw new IllegalArgumentException("invalid count range " + min + ".." + max);
        }
    }

    /** Exactly {@code n} matching requests. */
    public static Times exactly(int n) {
        return new Times(n, n);
    }

    /** At least {@code n} matching requests. */
    public static Times atLeast(int n) {
        return new Times(n, Integer.MAX_VALUE);
    }

    /** At most {@code n} matching requests (zero included). */
    public static Times atMost(int n) {
        return new Times(0, n);
    }

    /** Exactly once. */
    public static Times once() {
        return exactly(1);
    }

    /** No matching request. */
    public static Times never() {
        return exactly(0);
    }

    /** True when {@code count} is in range. */
    public boolean accepts(int count) {
        return count >= min && count <= max;
    }

    @Override
    public String toString() {
        if (min == max) {
            return "exactly " + min;
        }
        return max == Integer.MAX_VALUE ? "at least " + min : min == 0 ? "at most " + max : min + " to " + max;
    }
}
