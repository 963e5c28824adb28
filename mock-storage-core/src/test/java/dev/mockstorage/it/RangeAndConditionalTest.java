package dev.mockstorage.it;

import static dev.mockstorage.it.S3Assertions.assertS3Error;
import static dev.mockstorage.it.S3Assertions.assertSdkError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.testing.RawHttp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Range GET (206, Content-Range, suffix and open ranges, 416 InvalidRange) and conditional GET/HEAD
 * (If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since) through the SDK. One object
 * {@code 0123456789abcdefghij} (20 bytes) serves every test; nothing here writes.
 */
class RangeAndConditionalTest {

    static final String BUCKET = "ranges";
    static final String KEY = "digits.txt";
    static final String CONTENT = "0123456789abcdefghij";
    /** IMF-fixdate (RFC 9110 section 5.6.7): a two-digit day, always; the SDK parses either form, so the wire is checked. */
    private static final Pattern IMF_FIXDATE =
            Pattern.compile("(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");

    @StartStop
    static final TestServer server = TestServer.create();

    static S3Client s3;
    static String etag;
    static Instant lastModified;

    @BeforeAll
    static void start() {
        s3 = server.s3();
        server.createBucket(BUCKET);
        etag = s3.putObject(b -> b.bucket(BUCKET).key(KEY), RequestBody.fromString(CONTENT))
                .eTag();
        lastModified = s3.headObject(b -> b.bucket(BUCKET).key(KEY)).lastModified();
    }

    private static ResponseBytes<GetObjectResponse> getRange(String range) {
        return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(KEY).range(range));
    }

    private static void assertPartial(String range, String body, String contentRange) {
        ResponseBytes<GetObjectResponse> got = getRange(range);
        assertEquals(206, got.response().sdkHttpResponse().statusCode(), range);
        assertEquals(body, got.asUtf8String(), range);
        assertEquals(contentRange, got.response().contentRange(), range);
        assertEquals(body.length(), got.response().contentLength(), range);
        assertEquals(etag, got.response().eTag(), range);
        assertEquals("bytes", got.response().acceptRanges(), range);
    }

    @Test
    void closedRangeIs206WithContentRange() {
        assertPartial("bytes=2-5", "2345", "bytes 2-5/20");
        assertPartial("bytes=0-0", "0", "bytes 0-0/20");
        assertPartial("bytes=19-19", "j", "bytes 19-19/20");
    }

    @Test
    void rangeEndBeyondTheObjectIsClampedToTheLastByte() {
        assertPartial("bytes=15-100", "fghij", "bytes 15-19/20");
    }

    @Test
    void suffixRangeReturnsTheLastBytes() {
        assertPartial("bytes=-5", "fghij", "bytes 15-19/20");
        assertPartial("bytes=-50", CONTENT, "bytes 0-19/20");
    }

    @Test
    void openRangeReturnsFromOffsetToEnd() {
        assertPartial("bytes=5-", "56789abcdefghij", "bytes 5-19/20");
    }

    @Test
    void unsatisfiableRangeIs416InvalidRange() {
        assertSdkError(416, "InvalidRange", () -> getRange("bytes=20-30"));
        assertSdkError(416, "InvalidRange", () -> getRange("bytes=50-"));
        RawHttp.Response raw =
                server.raw().send("GET", "/" + BUCKET + "/" + KEY, Map.of("Range", "bytes=100-200"), new byte[0]);
        assertS3Error(raw, 416, "InvalidRange");
    }

    @Test
    void fullGetAdvertisesAcceptRanges() {
        ResponseBytes<GetObjectResponse> got =
                s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(KEY));
        assertEquals(200, got.response().sdkHttpResponse().statusCode());
        assertEquals(CONTENT, got.asUtf8String());
        assertEquals("bytes", got.response().acceptRanges());
    }

    @Test
    void ifMatchServesOnMatchAndIs412OnMismatch() {
        assertEquals(
                CONTENT,
                s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(KEY).ifMatch(etag))
                        .asUtf8String());
        assertEquals(
                200,
                s3.headObject(b -> b.bucket(BUCKET).key(KEY).ifMatch(etag))
                        .sdkHttpResponse()
                        .statusCode());

        assertSdkError(
                412,
                "PreconditionFailed",
                () -> s3.getObjectAsBytes(
                        b -> b.bucket(BUCKET).key(KEY).ifMatch("\"0123456789abcdef0123456789abcdef\"")));
        assertSdkError(
                412,
                null,
                () -> s3.headObject(b -> b.bucket(BUCKET).key(KEY).ifMatch("\"0123456789abcdef0123456789abcdef\"")));
    }

    @Test
    void ifNoneMatchIs304OnMatchAndServesOnMismatch() {
        assertSdkError(
                304,
                null,
                () -> s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(KEY).ifNoneMatch(etag)));
        assertSdkError(
                304, null, () -> s3.headObject(b -> b.bucket(BUCKET).key(KEY).ifNoneMatch(etag)));

        assertEquals(
                CONTENT,
                s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(KEY).ifNoneMatch("\"other\""))
                        .asUtf8String());
        HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key(KEY).ifNoneMatch("\"other\""));
        assertEquals(200, head.sdkHttpResponse().statusCode());
    }

    @Test
    void ifNoneMatchResponseCarriesEtagWithoutBody() {
        RawHttp.Response raw =
                server.raw().send("GET", "/" + BUCKET + "/" + KEY, Map.of("If-None-Match", etag), new byte[0]);
        assertEquals(304, raw.status(), raw::toString);
        assertEquals(etag, raw.header("ETag"));
        assertEquals(0, raw.body().length);
        S3Assertions.assertRequestIdHeader(raw);
    }

    @Test
    void ifModifiedSinceIs304WhenNotModifiedAndServesWhenModified() {
        Instant later = lastModified.plus(Duration.ofHours(1));
        Instant earlier = lastModified.minus(Duration.ofHours(1));

        assertSdkError(
                304,
                null,
                () -> s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(KEY).ifModifiedSince(later)));
        assertSdkError(
                304, null, () -> s3.headObject(b -> b.bucket(BUCKET).key(KEY).ifModifiedSince(later)));

        assertEquals(
                CONTENT,
                s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(KEY).ifModifiedSince(earlier))
                        .asUtf8String());
        assertEquals(
                200,
                s3.headObject(b -> b.bucket(BUCKET).key(KEY).ifModifiedSince(earlier))
                        .sdkHttpResponse()
                        .statusCode());
    }

    @Test
    void ifUnmodifiedSinceIs412WhenModifiedAndServesWhenNot() {
        Instant later = lastModified.plus(Duration.ofHours(1));
        Instant earlier = lastModified.minus(Duration.ofHours(1));

        assertSdkError(
                412,
                "PreconditionFailed",
                () -> s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(KEY).ifUnmodifiedSince(earlier)));
        assertSdkError(
                412, null, () -> s3.headObject(b -> b.bucket(BUCKET).key(KEY).ifUnmodifiedSince(earlier)));

        assertEquals(
                CONTENT,
                s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(KEY).ifUnmodifiedSince(later))
                        .asUtf8String());
    }

    @Test
    void ifMatchWinsOverIfUnmodifiedSinceAsInS3() {
        // RFC 7232 / S3: If-Match true and If-Unmodified-Since false -> 200
        Instant earlier = lastModified.minus(Duration.ofHours(1));
        assertEquals(
                CONTENT,
                s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(KEY).ifMatch(etag).ifUnmodifiedSince(earlier))
                        .asUtf8String());
    }

    @Test
    void rangeCombinesWithConditions() {
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(
                b -> b.bucket(BUCKET).key(KEY).range("bytes=-3").ifMatch(etag));
        assertEquals(206, got.response().sdkHttpResponse().statusCode());
        assertEquals("hij", got.asUtf8String());
    }

    @Test
    void everyDateHeaderIsAnImfFixdateAndOldHttpDatesAreUnderstood() {
        RawHttp raw = server.raw();
        RawHttp.Response get = raw.get("/" + BUCKET + "/" + KEY);
        RawHttp.Response head = raw.send("HEAD", "/" + BUCKET + "/" + KEY);
        String lastModifiedHeader = get.header("last-modified");
        // RFC 850 and asctime, which a recipient must accept, in If-Modified-Since: not modified since
        String rfc850 = DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss 'GMT'", Locale.US)
                .withZone(ZoneOffset.UTC)
                .format(lastModified);
        String asctime = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US)
                .withZone(ZoneOffset.UTC)
                .format(lastModified);
        RawHttp.Response notModified =
                raw.send("GET", "/" + BUCKET + "/" + KEY, Map.of("If-Modified-Since", rfc850), new byte[0]);
        RawHttp.Response notModifiedEither =
                raw.send("GET", "/" + BUCKET + "/" + KEY, Map.of("If-Modified-Since", asctime), new byte[0]);
        for (String date : List.of(
                lastModifiedHeader,
                get.header("date"),
                head.header("last-modified"),
                head.header("date"),
                notModified.header("last-modified"),
                notModified.header("date"))) {
            assertTrue(IMF_FIXDATE.matcher(date).matches(), () -> "not an IMF-fixdate: '" + date + "'");
        }
        assertEquals(lastModified, DateTimeFormatter.RFC_1123_DATE_TIME.parse(lastModifiedHeader, Instant::from));
        assertEquals(304, notModified.status(), notModified::toString);
        assertEquals(304, notModifiedEither.status(), notModifiedEither::toString);
    }
}
