package dev.mockstorage.internal.thirdparty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.internal.config.Config;
import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.stats.ServerStats;
import dev.mockstorage.thirdparty.Match;
import dev.mockstorage.thirdparty.Reply;
import dev.mockstorage.thirdparty.ThirdPartyScript;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an upstream answer means for a read-through, and the named counts of how fetches ended. */
class ReadThroughPolicyTest {

    @Test
    void answersMeanStoredNoSuchKeyOrServiceUnavailableAndEachOutcomeIsCounted() {
        try (ScriptedUpstream scripted = new ScriptedUpstream(null, Clock.systemUTC());
                ThirdPartySource source = new ThirdPartySource(Config.ThirdParty.DEFAULTS, scripted)) {
            scripted.script(
                    ThirdPartyScript.when(Match.get("photos", "found"))
                            .respond(Reply.ok("here")
                                    .contentType("text/plain")
                                    .header("x-amz-meta-color", "red")
                                    .header("Content-Disposition", "inline")
                                    .header("X-Other", "dropped")),
                    ThirdPartyScript.when(Match.get("photos", "gone")).respond(Reply.status(404)),
                    ThirdPartyScript.when(Match.get("photos", "broken")).respond(Reply.status(500)));
            ReadThroughPolicy policy = new ReadThroughPolicy(source);
            List<String> told = new ArrayList<>();
            policy.onFetch((outcome, nanos) -> told.add(outcome));
            assertTrue(policy.covers("photos"));

            String stored = policy.fetch(
                    "photos",
                    "found",
                    upstream -> upstream.contentType() + " " + upstream.userMetadata() + " " + upstream.headers() + " "
                            + upstream.declaredLength() + " " + body(upstream));
            assertEquals("text/plain {color=red} {Content-Disposition=inline} 4 here", stored);
            assertEquals(
                    ErrorCode.NoSuchKey,
                    assertThrows(StorageException.class, () -> policy.fetch("photos", "gone", upstream -> "stored"))
                            .code());
            StorageException failed =
                    assertThrows(StorageException.class, () -> policy.fetch("photos", "broken", upstream -> "stored"));
            assertEquals(ErrorCode.ServiceUnavailable, failed.code());
            StorageException broken = assertThrows(
                    StorageException.class,
                    () -> policy.fetch("photos", "found", upstream -> {
                        throw new StorageException(ErrorCode.IncompleteBody, "the body ended early");
                    }));
            assertEquals(ErrorCode.ServiceUnavailable, broken.code());
            assertTrue(broken.getMessage().contains("sent a broken body for photos/found"), broken.getMessage());

            assertEquals(List.of("hit", "miss", "error", "error"), told);
            assertEquals(new ServerStats.ThirdParty(1, 1, 2), policy.stats());
        }
    }

    private static String body(UpstreamObject upstream) {
        try {
            return new String(upstream.body().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void withoutASourceNothingReadsThrough() {
        ReadThroughPolicy policy = new ReadThroughPolicy(null);
        assertFalse(policy.covers("photos"));
        assertEquals(ServerStats.ThirdParty.NONE, policy.stats());
    }
}
