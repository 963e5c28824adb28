package dev.mockstorage.internal.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.mockstorage.internal.http.BodyVerifier;
import dev.mockstorage.internal.http.HttpRequest;
import dev.mockstorage.internal.http.RecordingBody;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObjectHeadersTest {
    private static final String HASH = "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072";

    @Test
    void theServiceChecksTheSignedPayloadHashOnlyWhenNoVerifierAlreadyDoes() {
        HttpRequest open = put();
        assertEquals(HASH, ObjectHeaders.write(open, "b", "k").contentSha256());

        HttpRequest strict = put();
        strict.verifyBody(new BodyVerifier() {
            @Override
            public void data(byte[] b, int off, int len) {}

            @Override
            public void end(Map<String, String> trailers) {}
        });
        assertNull(
                ObjectHeaders.write(strict, "b", "k").contentSha256(),
                "strict auth's verifier hashes the body once already");
    }

    private static HttpRequest put() {
        return new HttpRequest(
                "PUT",
                "/b/k",
                null,
                Map.of("x-amz-content-sha256", HASH, "content-length", "0"),
                List.of(),
                new RecordingBody(),
                "127.0.0.1",
                null);
    }
}
