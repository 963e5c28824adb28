package dev.mockstorage.thirdparty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mockstorage.verification.Times;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON form of scripts, matches and calls: round trips, the documented shorthands, errors naming the field. */
class ThirdPartyJsonTest {

    @Test
    void everyKindOfScriptSurvivesARoundTrip() {
        List<ThirdPartyScript> scripts = List.of(
                ThirdPartyScript.when(Match.get("b", "k"))
                        .respond(Reply.ok("text é").contentType("text/plain"), Reply.status(404))
                        .withId("one"),
                ThirdPartyScript.when(Match.keyPrefix("b", "p/").method("HEAD"))
                        .respond(Reply.status(200).body(new byte[] {(byte) 0xff, 0})),
                ThirdPartyScript.when(Match.keyRegex(null, ".*\\.png"))
                        .respond(Reply.fault(Fault.TRUNCATED_BODY).body("0123")),
                ThirdPartyScript.when(Match.url("/b/a%20b"))
                        .respond(Reply.status(200).bodyFromClasspath("x/y.txt").delay(Duration.ofMillis(25))),
                ThirdPartyScript.when(Match.urlRegex("/b/.*"))
                        .respond(Reply.status(200).bodyFromFile(Path.of("/tmp/f.bin"))),
                ThirdPartyScript.when(Match.any())
                        .respond(Reply.fault(Fault.NO_ANSWER), Reply.fault(Fault.CONNECTION_RESET)));
        String json = ThirdPartyJson.writeScripts(scripts);
        assertEquals(scripts, ThirdPartyJson.parseScripts(json, null));
    }

    @Test
    void aDocumentMayBeOneScriptAnArrayOrAScriptsObject() {
        String one = "{\"match\": {\"key\": \"k\"}, \"response\": {\"body\": \"x\"}}";
        ThirdPartyScript expected =
                new ThirdPartyScript(null, new Match(null, null, "k", null, null, null, null), List.of(Reply.ok("x")));
        assertEquals(List.of(expected), ThirdPartyJson.parseScripts(one, null));
        assertEquals(List.of(expected, expected), ThirdPartyJson.parseScripts("[" + one + "," + one + "]", null));
        assertEquals(List.of(expected), ThirdPartyJson.parseScripts("{\"scripts\": [" + one + "]}", null));
    }

    @Test
    void relativeBodyFilesResolveAgainstTheGivenDirectory() {
        List<ThirdPartyScript> s =
                ThirdPartyJson.parseScripts("{\"response\": {\"body_file\": \"a/b.bin\"}}", Path.of("/srv/scripts"));
        assertEquals(Path.of("/srv/scripts/a/b.bin"), s.get(0).replies().get(0).bodyFile());
    }

    @Test
    void mistakesAreReportedWithTheirField() {
        assertMessage(
                "[0].responses[1].status: expected an HTTP status 100..999, got string \"x\"",
                "[{\"responses\": [{}, {\"status\": \"x\"}]}]");
        assertMessage(
                "match.keyy: unknown field (known here: bucket, key, key_prefix, key_regex, method, url, url_regex)",
                "{\"match\": {\"keyy\": \"k\"}, \"response\": {}}");
        assertMessage(
                "match: a match takes at most one of key, key_prefix and key_regex; got any method key=\"a\" key_prefix=\"b\"",
                "{\"match\": {\"key\": \"a\", \"key_prefix\": \"b\"}, \"response\": {}}");
        assertMessage(
                "match: key_regex: not a valid regex: Unclosed group in /(/",
                "{\"match\": {\"key_regex\": \"(\"}, \"response\": {}}");
        assertMessage(
                "response.fault: \"RESET\" is not a fault (known: [CONNECTION_RESET, TRUNCATED_BODY, NO_ANSWER])",
                "{\"response\": {\"fault\": \"RESET\"}}");
        assertMessage("top level: a script needs a response (or responses)", "{\"match\": {}}");
        assertMessage(
                "response: give at most one of body, body_base64, body_file and body_classpath",
                "{\"response\": {\"body\": \"a\", \"body_file\": \"b\"}}");
        assertMessage("responses: expected a non-empty array of responses, got an empty array", "{\"responses\": []}");
    }

    private static void assertMessage(String expected, String json) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ThirdPartyJson.parseScripts(json, null));
        assertEquals(expected, e.getMessage());
    }

    @Test
    void verificationsAndCallsRoundTrip() {
        Map.Entry<Times, Match> v = ThirdPartyJson.parseVerification(
                ThirdPartyJson.writeVerification(Times.exactly(3), Match.head("b", "k")));
        assertEquals(Times.exactly(3), v.getKey());
        assertEquals(Match.head("b", "k"), v.getValue());
        for (Times t : List.of(Times.atLeast(2), Times.atMost(4), new Times(1, 3), Times.never())) {
            assertEquals(
                    t,
                    ThirdPartyJson.parseVerification(ThirdPartyJson.writeVerification(t, Match.any()))
                            .getKey());
        }
        assertEquals(
                Times.atLeast(2),
                ThirdPartyJson.parseVerification("{\"times\": {\"min\": 2}}").getKey());
        IllegalArgumentException bad = assertThrows(
                IllegalArgumentException.class,
                () -> ThirdPartyJson.parseVerification("{\"times\": {\"min\": 3, \"max\": 1}}"));
        assertEquals("times.max: expected at least min (3), got 1", bad.getMessage());
        IllegalArgumentException negative =
                assertThrows(IllegalArgumentException.class, () -> ThirdPartyJson.parseVerification("{\"times\": -1}"));
        assertEquals("times: expected a whole number >= 0, got -1", negative.getMessage());
        List<UpstreamCall> calls = List.of(
                new UpstreamCall(
                        Instant.parse("2026-01-02T03:04:05.678Z"),
                        "GET",
                        "/b/k",
                        "b",
                        "k",
                        Map.of("user-agent", "x"),
                        "s1",
                        200,
                        null),
                new UpstreamCall(
                        Instant.parse("2026-01-02T03:04:06Z"),
                        "GET",
                        "/",
                        null,
                        null,
                        Map.of(),
                        null,
                        -1,
                        Fault.NO_ANSWER));
        assertEquals(calls, ThirdPartyJson.parseCalls(ThirdPartyJson.writeCalls(calls)));
    }

    @Test
    void matchesHoldEveryConditionThatIsSet() {
        Match m = Match.keyPrefix("b", "dir/").method("get");
        assertEquals("GET", m.method());
        assertEquals(true, m.matches("GET", "/b/dir/x", "b", "dir/x"));
        assertEquals(false, m.matches("HEAD", "/b/dir/x", "b", "dir/x"));
        assertEquals(false, m.matches("GET", "/c/dir/x", "c", "dir/x"));
        assertEquals(
                false, Match.keyRegex("b", "a.").matches("GET", "/b/abc", "b", "abc"), "a regex matches the whole key");
        assertEquals(true, Match.urlRegex("/b/.*%20.*").matches("GET", "/b/a%20b", "b", "a b"));
    }
}
