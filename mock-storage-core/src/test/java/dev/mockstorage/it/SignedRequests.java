package dev.mockstorage.it;

import dev.mockstorage.testing.RawHttp;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Requests signed by the AWS SDK's own SigV4 signer ({@link AwsV4HttpSigner}, the one the S3 client and
 * {@code S3Presigner} use) with settings a client cannot reach: a signing clock in the past, signed
 * payloads with or without aws-chunked, presigned URLs. Sent with {@link RawHttp} so a test can tamper
 * with the bytes afterwards.
 */
final class SignedRequests {
    private SignedRequests() {}

    /** A request as signed: method, target (path and query), headers (without Host) and body bytes. */
    record Signed(String method, String target, Map<String, String> headers, byte[] body) {
        RawHttp.Response send(RawHttp raw) {
            return raw.send(method, target, headers, body);
        }

        Signed withBody(byte[] other) {
            return new Signed(method, target, headers, other);
        }

        Signed withTarget(String other) {
            return new Signed(method, other, headers, body);
        }

        String url(String base) {
            return base + target;
        }
    }

    /** How the payload is signed. */
    enum Payload {
        UNSIGNED,
        HASHED,
        CHUNKED
    }

    static Signed sign(
            URI endpoint,
            String method,
            String target,
            Map<String, String> headers,
            byte[] body,
            String accessKey,
            String secretKey,
            Clock clock,
            Payload payload) {
        return sign(endpoint, method, target, headers, body, accessKey, secretKey, clock, payload, null);
    }

    /** Presigned when {@code expiresIn} is not null (the signature goes into the query). */
    static Signed sign(
            URI endpoint,
            String method,
            String target,
            Map<String, String> headers,
            byte[] body,
            String accessKey,
            String secretKey,
            Clock clock,
            Payload payload,
            Duration expiresIn) {
        // the signer always signs the payload over http; signing an https URI (same host:port) leaves it unsigned
        String base = endpoint.toString().replaceAll("/$", "");
        if (payload == Payload.UNSIGNED) {
            base = base.replaceFirst("^http:", "https:");
        }
        SdkHttpRequest.Builder request =
                SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(URI.create(base + target));
        headers.forEach(request::putHeader);
        if (body.length > 0 || method.equals("PUT")) {
            request.putHeader("Content-Length", Integer.toString(body.length));
        }
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> {
            r.identity(AwsCredentialsIdentity.create(accessKey, secretKey))
                    .request(request.build())
                    .payload(ContentStreamProvider.fromByteArray(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                    .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock)
                    .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                    .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                    .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, payload != Payload.UNSIGNED)
                    .putProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, payload == Payload.CHUNKED);
            if (expiresIn != null) {
                r.putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, expiresIn);
            }
        });
        SdkHttpRequest out = signed.request();
        Map<String, String> sent = new LinkedHashMap<>();
        out.headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) {
                sent.put(name, String.join(",", values));
            }
        });
        byte[] bytes = signed.payload().map(SignedRequests::bytes).orElse(body);
        if (payload == Payload.CHUNKED) {
            sent.put("Content-Length", Integer.toString(bytes.length));
        }
        String query = out.encodedQueryParameters().orElse(null);
        return new Signed(method, out.encodedPath() + (query == null ? "" : "?" + query), sent, bytes);
    }

    private static byte[] bytes(ContentStreamProvider provider) {
        try (InputStream in = provider.newStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
