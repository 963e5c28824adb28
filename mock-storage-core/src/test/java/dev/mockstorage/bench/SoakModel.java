package dev.mockstorage.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;

/**
 * What the soak knows of one key: every write (PUT, copy, multipart, DELETE) that could still decide
 * what a read returns, with the time it started and, once acknowledged, the time it ended. A read that
 * started at {@code t0} and ended at {@code t1} may return the value of a write W only if W started
 * before {@code t1} and no acknowledged write started after W ended and ended before {@code t0} (it
 * would have replaced W). That is linearizability for a single register, checked for every GET and
 * HEAD during the run and for every key at the end. Writes answered with an S3 error changed nothing
 * (the server's contract) and are dropped; writes whose outcome is unknown (the connection broke, the
 * server was killed) may have landed up to the kill that followed them or {@link #UNKNOWN_GRACE_NANOS}
 * after the client gave up, whichever is first.
 */
final class SoakModel {
    /** A write without an answer may still land this long after the client gave up (its timeout, and some). */
    static final long UNKNOWN_GRACE_NANOS = TimeUnit.SECONDS.toNanos(45);
    /** A replaced write is forgotten once its replacement ended this long ago (longer than any read takes). */
    private static final long FORGET_AFTER_NANOS = TimeUnit.SECONDS.toNanos(120);

    /** Times of the kill -9s so far. */
    private final ConcurrentSkipListSet<Long> kills = new ConcurrentSkipListSet<>();

    void killed(long nanos) {
        kills.add(nanos);
    }

    /** One write: its value (SHA-256 hex of the body, or null for a delete), start, and end once known. */
    final class Write {
        final String value;
        final long start;
        /** acknowledged: when the answer came; unknown outcome: the latest it may have landed; open: MAX */
        volatile long end = Long.MAX_VALUE;

        volatile boolean acked;
        volatile boolean unknown;

        Write(String value, long start) {
            this.value = value;
            this.start = start;
        }

        /** The latest time this write could have taken effect. */
        long latestEffect() {
            if (acked || !unknown) {
                return end;
            }
            Long kill = kills.higher(start);
            return kill == null ? end : Math.min(end, kill);
        }
    }

    /** One key's writes; the initial state is an acknowledged "absent" at time 0. */
    final class Key {
        final String name;
        final boolean shared;
        private final List<Write> writes = new ArrayList<>();
        private int sincePrune;

        Key(String name, boolean shared) {
            this.name = name;
            this.shared = shared;
            Write initial = new Write(null, Long.MIN_VALUE);
            initial.end = Long.MIN_VALUE;
            initial.acked = true;
            writes.add(initial);
        }

        synchronized Write begin(String value, long now) {
            Write w = new Write(value, now);
            writes.add(w);
            return w;
        }

        synchronized void acked(Write w, long now) {
            w.end = now;
            w.acked = true;
            if (++sincePrune >= 32) {
                sincePrune = 0;
                prune(now);
            }
        }

        /** Answered with an error: it changed nothing. */
        synchronized void refused(Write w) {
            writes.remove(w);
        }

        /** No answer: it may have landed, until the next kill or a grace period after now. */
        synchronized void unknown(Write w, long now) {
            w.unknown = true;
            w.end = now + UNKNOWN_GRACE_NANOS;
        }

        /** True when a read between {@code t0} and {@code t1} may have returned {@code value}. */
        synchronized boolean readable(String value, long t0, long t1) {
            long replacedBefore = latestAckedStartEndingBefore(t0);
            for (Write w : writes) {
                if (Objects.equals(w.value, value) && w.start <= t1 && w.latestEffect() >= replacedBefore) {
                    return true;
                }
            }
            return false;
        }

        /** The acknowledged state when nothing is in doubt: the value of the last acknowledged write, if no other write could follow it. */
        synchronized Write settled() {
            Write last = null;
            for (Write w : writes) {
                if (!w.acked) {
                    return null;
                }
                if (last == null || w.start > last.start) {
                    last = w;
                }
            }
            return last;
        }

        /** What the check expects, for messages: the writes that could explain a read now. */
        synchronized String describe(long now) {
            long replacedBefore = latestAckedStartEndingBefore(now);
            StringBuilder sb = new StringBuilder();
            for (Write w : writes) {
                if (w.latestEffect() >= replacedBefore) {
                    sb.append(sb.length() == 0 ? "" : ", ")
                            .append(w.value == null ? "absent" : w.value.substring(0, 12))
                            .append(w.acked ? " (acked)" : w.unknown ? " (unknown outcome)" : " (in flight)");
                }
            }
            return sb.toString();
        }

        synchronized int size() {
            return writes.size();
        }

        /** The latest start of an acknowledged write that ended before {@code t}: writes that ended before it were replaced. */
        private long latestAckedStartEndingBefore(long t) {
            long latest = Long.MIN_VALUE;
            for (Write w : writes) {
                if (w.acked && w.end < t && w.start > latest) {
                    latest = w.start;
                }
            }
            return latest;
        }

        private void prune(long now) {
            long replacedBefore = latestAckedStartEndingBefore(now - FORGET_AFTER_NANOS);
            writes.removeIf(w -> w.latestEffect() < replacedBefore);
        }
    }
}
