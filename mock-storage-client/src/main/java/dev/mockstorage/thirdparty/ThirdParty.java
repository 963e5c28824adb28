package dev.mockstorage.thirdparty;

import dev.mockstorage.verification.Times;
import java.nio.file.Path;
import java.util.List;

/**
 * The scripted third-party upstream of one server: what a GET or HEAD of a missing object reads
 * through from when no real upstream URL is configured. Scripts are tried newest first; the first
 * whose {@link Match} holds answers. A call no script matches is answered 404 (the client sees
 * {@code NoSuchKey}) and is listed in {@link #unmatchedCalls()}.
 *
 * <p>Read-through to the scripted upstream is active while at least one script is set; with none a
 * miss is an ordinary {@code NoSuchKey} and no call is made. The same handle is served over the admin
 * API under {@code /api/v1/third-party/}.
 */
public interface ThirdParty {

    /**
     * Adds scripts (each keeps its own position in its reply sequence).
     *
     * @return the scripts as stored, with ids assigned where none was given
     * @throws IllegalArgumentException when a body resource or file does not exist
     * @throws IllegalStateException    when read-through to the scripted upstream is off
     *                                  ({@code third_party.enabled=false} or {@code third_party.url} set)
     */
    List<ThirdPartyScript> script(ThirdPartyScript... scripts);

    /** Adds the scripts of a JSON file (format: {@link ThirdPartyJson}); the message names the file and field at fault. */
    List<ThirdPartyScript> loadScripts(Path json);

    /** Adds the scripts of a JSON text (format: {@link ThirdPartyJson}). */
    List<ThirdPartyScript> loadScripts(String json);

    /** The scripts set now, oldest first. */
    List<ThirdPartyScript> scripts();

    /**
     * Removes one script by its id; the calls it answered stay recorded.
     *
     * @throws IllegalArgumentException when no script has this id (the message lists the ids set)
     */
    void remove(String scriptId);

    /** Removes every script and forgets every recorded call. */
    void reset();

    /** Forgets the recorded calls, keeping the scripts. */
    void resetCalls();

    /** Every call received so far, oldest first. */
    List<UpstreamCall> calls();

    /** The calls no script matched, oldest first. */
    List<UpstreamCall> unmatchedCalls();

    /**
     * Checks that the number of recorded calls that match is in range, e.g.
     * {@code verify(Times.atLeast(2), Match.get("photos", "cat.jpg"))}.
     *
     * @throws AssertionError whose message gives the count found, the closest recorded calls and the unmatched ones
     */
    default void verify(Times times, Match match) {
        CallVerification.verify(calls(), times, match);
    }

    /** {@code verify(Times.once(), match)}. */
    default void verify(Match match) {
        verify(Times.once(), match);
    }
}
