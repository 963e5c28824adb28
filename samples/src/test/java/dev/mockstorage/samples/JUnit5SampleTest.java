package dev.mockstorage.samples;

// README "JUnit 5": copy this class.
// sample:junit5:start
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mockstorage.MockStorageRuntime;
import dev.mockstorage.journal.RequestPattern;
import dev.mockstorage.junit5.MockStorage;
import dev.mockstorage.thirdparty.Match;
import dev.mockstorage.thirdparty.Reply;
import dev.mockstorage.thirdparty.ThirdPartyScript;
import dev.mockstorage.verification.Times;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

@MockStorage(buckets = "photos") // a fresh in-process server per test, with this bucket
class JUnit5SampleTest {

    @Test
    void readsAPhotoThroughFromTheUpstream(MockStorageRuntime storage, S3Client s3) {
        // 1. script the upstream: a GET of photos/cat.jpg, missing here, is fetched from it
        storage.thirdParty().script(ThirdPartyScript.when(Match.get("photos", "cat.jpg"))
                .respond(Reply.ok("meow").contentType("image/jpeg")));

        // 2. run the code under test with the injected client (path-style, bound to this server)
        String cat = s3.getObjectAsBytes(b -> b.bucket("photos").key("cat.jpg")).asUtf8String();

        // 3. verify what happened
        assertEquals("meow", cat);
        storage.thirdParty().verify(Times.once(), Match.get("photos", "cat.jpg"));
        storage.requests().verify(Times.once(), RequestPattern.getObject("photos", "cat.jpg"));
    }
}
// sample:junit5:end
