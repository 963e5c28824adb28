package dev.mockstorage.it;

import static dev.mockstorage.it.S3Assertions.assertS3Error;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.testing.RawHttp;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Virtual-host-style addressing: {@code Host: bucket.localhost:PORT} (and any configured
 * {@code server.domain}) routes like {@code /bucket/...}. Names under {@code localhost} do not
 * resolve on every machine (not here: the JDK asks the system resolver), so the SDK test gives its
 * Apache5 HTTP client a resolver that maps {@code *.localhost} to 127.0.0.1, as a browser or
 * systemd-resolved would; the SDK itself runs with path style off, at its defaults otherwise.
 */
class VirtualHostTest {
    @StartStop
    static final TestServer server = TestServer.create(b -> b.setting("server.domain", "localhost,s3.test.internal"));

    @BeforeAll
    static void start() {
        server.createBucket("vhost");
    }

    private static RawHttp.Response send(String method, String host, String target, byte[] body) {
        String head = method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return server.raw().exchange(all, false, method.equals("HEAD"));
    }

    @Test
    void hostNamesTheBucketForEveryConfiguredDomain() {
        int port = server.endpoint().getPort();
        assertEquals(
                200,
                send("PUT", "vhost.localhost:" + port, "/a%20key", "hello".getBytes(StandardCharsets.UTF_8))
                        .status());
        assertEquals("hello", server.raw().get("/vhost/a%20key").bodyText());
        assertEquals(
                "hello",
                send("GET", "vhost.s3.test.internal:" + port, "/a%20key", new byte[0])
                        .bodyText());
        assertEquals(
                "hello", send("GET", "VHOST.LOCALHOST", "/a%20key", new byte[0]).bodyText());
        // bucket level: a listing of the bucket
        String listing = send("GET", "vhost.localhost:" + port, "/?list-type=2", new byte[0])
                .bodyText();
        assertTrue(listing.contains("<Name>vhost</Name>") && listing.contains("<Key>a key</Key>"), listing);
        // the domain itself, an IP address and unknown hosts are path style
        assertEquals(
                "hello",
                send("GET", "localhost:" + port, "/vhost/a%20key", new byte[0]).bodyText());
        assertEquals(
                "hello",
                send("GET", "127.0.0.1:" + port, "/vhost/a%20key", new byte[0]).bodyText());
        assertEquals(
                "hello",
                send("GET", "vhost.example.com", "/vhost/a%20key", new byte[0]).bodyText());
        assertS3Error(send("GET", "nosuch.localhost:" + port, "/k", new byte[0]), 404, "NoSuchBucket");
    }

    @Test
    void sdkWithPathStyleOffWorksAgainstBucketDotLocalhost() throws Exception {
        List<String> hosts = new java.util.concurrent.CopyOnWriteArrayList<>();
        DnsResolver localhost = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws java.net.UnknownHostException {
                hosts.add(host);
                return host.endsWith(".localhost")
                        ? new InetAddress[] {InetAddress.getLoopbackAddress()}
                        : SystemDefaultDnsResolver.INSTANCE.resolve(host);
            }

            @Override
            public String resolveCanonicalHostname(String host) throws java.net.UnknownHostException {
                return host;
            }
        };
        try (S3Client s3 = S3Client.builder()
                .endpointOverride(
                        URI.create("http://localhost:" + server.endpoint().getPort()))
                .forcePathStyle(false)
                .region(Region.US_EAST_1)
                .credentialsProvider(TestServer.credentials(server.server()))
                .httpClientBuilder(Apache5HttpClient.builder().dnsResolver(localhost))
                .build()) {
            byte[] data = TestData.pattern(70_000, 31);
            s3.putObject(b -> b.bucket("vhost").key("dir/sdk.bin"), RequestBody.fromBytes(data));
            assertArrayEquals(
                    data,
                    s3.getObjectAsBytes(b -> b.bucket("vhost").key("dir/sdk.bin"))
                            .asByteArray());
            assertTrue(s3.listObjectsV2(b -> b.bucket("vhost").prefix("dir/")).contents().stream()
                    .map(S3Object::key)
                    .toList()
                    .contains("dir/sdk.bin"));
            s3.deleteObject(b -> b.bucket("vhost").key("dir/sdk.bin"));
            assertEquals(404, server.raw().get("/vhost/dir/sdk.bin").status());
        }
        assertTrue(hosts.contains("vhost.localhost"), "the SDK addressed the bucket by host name: " + hosts);
    }
}
