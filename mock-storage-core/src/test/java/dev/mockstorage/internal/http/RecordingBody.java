package dev.mockstorage.internal.http;

import java.io.InputStream;
import java.util.Map;

/** An empty request body for tests without sockets; it only records the verifier installed on it. */
public final class RecordingBody implements HttpRequest.BodySource {
    private BodyVerifier verifier;

    /** The verifier installed by {@link HttpRequest#verifyBody}, or null. */
    public BodyVerifier verifier() {
        return verifier;
    }

    @Override
    public InputStream stream() {
        return InputStream.nullInputStream();
    }

    @Override
    public long declaredLength() {
        return 0;
    }

    @Override
    public Map<String, String> trailers() {
        return Map.of();
    }

    @Override
    public void verify(BodyVerifier v) {
        verifier = v;
    }
}
