package dev.mockstorage.internal.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.http.HttpRequest;
import dev.mockstorage.internal.http.RecordingBody;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The worked examples of the S3 SigV4 documentation (header-signed GET, signed aws-chunked upload), checked without sockets. */
class AuthenticatorTest {
    static final String AKID = "AKIAIOSFODNN7EXAMPLE";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final Clock THEN = Clock.fixed(Instant.parse("2013-05-24T00:00:00Z"), ZoneOffset.UTC);

    static HttpRequest getExample(String signature, RecordingBody body) {
        return new HttpRequest(
                "GET",
                "/test.txt",
                null,
                Map.of(
                        "host",
                        "examplebucket.s3.amazonaws.com",
                        "range",
                        "bytes=0-9",
                        "x-amz-content-sha256",
                        SigV4.EMPTY_SHA256,
                        "x-amz-date",
                        "20130524T000000Z",
                        "authorization",
                        "AWS4-HMAC-SHA256 Credential=" + AKID + "/20130524/us-east-1/s3/aws4_request,"
                                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=" + signature),
                List.of(),
                body,
                "127.0.0.1",
                null);
    }

    @Test
    void theDocumentedGetObjectExampleVerifiesAndAnotherSignatureDoesNot() {
        Authenticator auth = new Authenticator(Map.of(AKID, SECRET), THEN);
        RecordingBody body = new RecordingBody();
        assertDoesNotThrow(() -> auth.authenticate(
                getExample("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41", body)));
        body.verifier().end(Map.of()); // the empty body matches its hash

        StorageException e = assertThrows(
                StorageException.class,
                () -> auth.authenticate(getExample(
                        "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb40", new RecordingBody())));
        assertEquals(ErrorCode.SignatureDoesNotMatch, e.code());
        assertEquals(
                "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\nx-amz-content-sha256:"
                        + SigV4.EMPTY_SHA256
                        + "\nx-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
                        + SigV4.EMPTY_SHA256,
                e.details().get("CanonicalRequest"));
        assertEquals(
                ErrorCode.RequestTimeTooSkewed,
                assertThrows(
                                StorageException.class,
                                () -> new Authenticator(Map.of(AKID, SECRET), Clock.systemUTC())
                                        .authenticate(getExample("x", new RecordingBody())))
                        .code());
        assertEquals(
                ErrorCode.InvalidAccessKeyId,
                assertThrows(
                                StorageException.class,
                                () -> new Authenticator(Map.of("other", SECRET), THEN)
                                        .authenticate(getExample("x", new RecordingBody())))
                        .code());
    }

    @Test
    void theDocumentedChunkSignaturesChainFromTheSeedSignature() {
        byte[] key = SigV4.signingKey(SECRET, "20130524", "us-east-1", "s3");
        String scope = "20130524/us-east-1/s3/aws4_request";
        String seed = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
        byte[] first = new byte[65536];
        byte[] second = new byte[1024];
        Arrays.fill(first, (byte) 'a');
        Arrays.fill(second, (byte) 'a');

        ChunkSignatureVerifier ok = new ChunkSignatureVerifier(key, "20130524T000000Z", scope, seed, false);
        ok.chunk(65536, "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648");
        ok.data(first, 0, first.length);
        ok.chunk(1024, "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497");
        ok.data(second, 0, second.length);
        ok.chunk(0, "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9");
        assertDoesNotThrow(() -> ok.end(Map.of()));

        ChunkSignatureVerifier tampered = new ChunkSignatureVerifier(key, "20130524T000000Z", scope, seed, false);
        tampered.chunk(65536, "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648");
        first[100] = 'b';
        tampered.data(first, 0, first.length);
        StorageException e = assertThrows(
                StorageException.class,
                () -> tampered.chunk(1024, "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497"));
        assertEquals(ErrorCode.SignatureDoesNotMatch, e.code());
    }

    @Test
    void theCanonicalQueryIsSortedAndReEncoded() {
        assertEquals("a=&b=x%20y&b=z&prefix=%2B%2F", SigV4.canonicalQuery("prefix=+%2f&b=z&a&b=x%20y", null));
        assertEquals("X-Amz-Date=1", SigV4.canonicalQuery("X-Amz-Signature=abc&X-Amz-Date=1", "X-Amz-Signature"));
    }
}
