package dev.mockstorage.thirdparty;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One scripted behaviour of the upstream: calls that {@link Match} are answered with {@link #replies()}
 * in order, the last one repeating. Immutable and plain data (see {@link ThirdPartyJson} for its JSON form).
 *
 * <pre>{@code
 * ThirdPartyScript.when(Match.get("photos", "cat.jpg"))
 *         .respond(Reply.status(503), Reply.ok("meow").contentType("text/plain")); // 503 once, then 200 for ever
 * }</pre>
 *
 * @param id      a name for messages and recorded calls; null lets the upstream assign {@code script-N}
 * @param match   which calls it answers
 * @param replies one or more replies; call n gets reply min(n, size - 1)
 */
public record ThirdPartyScript(String id, Match match, List<Reply> replies) {

    public ThirdPartyScript {
        Objects.requireNonNull(match, "match");
        replies = List.copyOf(replies);
        if (replies.isEmpty()) {
            throw new IllegalArgumentException("a script needs at least one reply");
        }
    }

    /** Starts a script for calls that match. */
    public static When when(Match match) {
        return new When(Objects.requireNonNull(match, "match"));
    }

    /** The same script with a name (shown in messages and in {@link UpstreamCall#scriptId()}). */
    public ThirdPartyScript withId(String id) {
        return new ThirdPartyScript(id, match, replies);
    }

    /** The same script with one more reply at the end of its sequence. */
    public ThirdPartyScript thenRespond(Reply reply) {
        List<Reply> list = new ArrayList<>(replies);
        list.add(Objects.requireNonNull(reply, "reply"));
        return new ThirdPartyScript(id, match, list);
    }

    /** The first step of {@link #when(Match)}. */
    public static final class When {
        private final Match match;

        private When(Match match) {
            this.match = match;
        }

        /** Answers with {@code first}, then each of {@code then} in turn; the last reply repeats. */
        public ThirdPartyScript respond(Reply first, Reply... then) {
            List<Reply> list = new ArrayList<>();
            list.add(Objects.requireNonNull(first, "first"));
            list.addAll(List.of(then));
            return new ThirdPartyScript(null, match, list);
        }
    }
}
