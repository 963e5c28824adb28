package dev.mockstorage.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mockstorage.journal.RecordedRequest;
import dev.mockstorage.journal.RequestPattern;
import dev.mockstorage.thirdparty.Match;
import dev.mockstorage.thirdparty.UpstreamCall;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One ranking for the journal, the third party and the JUnit extension: failed conditions, then edits, then order. */
class NearestMissTest {

    private static UpstreamCall call(String method, String bucket, String key) {
        return new UpstreamCall(
                Instant.EPOCH, method, "/" + bucket + "/" + key, bucket, key, Map.of(), null, 404, null);
    }

    @Test
    void fewerFailedConditionsWinThenFewerEditsThenTheFirst() {
        Match match = Match.get("photos", "cat.jpg");
        List<UpstreamCall> calls = List.of(
                call("HEAD", "photos", "cat.jpg"),
                call("GET", "photos", "dog.jpg"),
                call("GET", "photos", "cat.jpeg"),
                call("get", "other", "cat.jpg"),
                call("GET", "photos", "cat.jpe"));
        List<String> ranked = NearestMiss.nearest(calls, match::difference, 10).stream()
                .map(c -> c.value().method() + " " + c.value().url() + " " + c.difference())
                .toList();
        assertEquals(
                List.of(
                        "HEAD /photos/cat.jpg differs in method HEAD",
                        "get /other/cat.jpg differs in bucket other",
                        "GET /photos/cat.jpeg differs in key \"cat.jpeg\"",
                        "GET /photos/cat.jpe differs in key \"cat.jpe\"",
                        "GET /photos/dog.jpg differs in key \"dog.jpg\""),
                ranked);
        assertEquals(2, NearestMiss.nearest(calls, match::difference, 2).size());
    }

    @Test
    void methodsCompareIgnoringCaseEverywhere() {
        assertEquals("", Match.get("b", "k").difference(call("get", "b", "k")).toString());
        RecordedRequest r = new RecordedRequest(
                Instant.EPOCH, "1", "127.0.0.1", "get", "GetObject", "b", "k", 200, null, 0, 0, 1, Map.of());
        assertEquals(
                List.of(),
                RequestPattern.getObject("b", "k")
                        .withMethod("GET")
                        .difference(r)
                        .failed());
    }

    @Test
    void aRequestNamesEachPropertyThatDiffers() {
        RecordedRequest r = new RecordedRequest(
                Instant.EPOCH, "1", "127.0.0.1", "PUT", "PutObject", "b", "a", 403, null, 0, 0, 1, Map.of());
        assertEquals(
                "differs in key \"a\", status 403",
                RequestPattern.putObject("b", "x").withStatus(200).difference(r).toString());
    }

    @Test
    void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        assertEquals(0, NearestMiss.Difference.editDistance("abc", "abc"));
        assertEquals(1, NearestMiss.Difference.editDistance("cat.jpg", "cat.jpeg"));
        assertEquals(3, NearestMiss.Difference.editDistance("", "abc"));
        assertEquals(2, NearestMiss.Difference.editDistance("kitten", "sitten1"));
    }
}
