package dev.mockstorage.internal.s3;

import dev.mockstorage.internal.clock.HttpDate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;

/**
 * The two date formats S3 speaks: in headers HTTP's IMF-fixdate (RFC 9110 section 5.6.7: a two-digit day,
 * {@code Thu, 03 Dec 2026 08:22:24 GMT}), in XML ISO 8601 with milliseconds ({@code 2026-12-03T08:22:24.000Z}).
 */
final class HttpDates {
    private static final DateTimeFormatter ISO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** What a recipient must also accept (RFC 9110 section 5.6.7): RFC 850 and asctime; RFC 1123 takes one-digit days too. */
    private static final List<DateTimeFormatter> ACCEPTED = List.of(
            DateTimeFormatter.RFC_1123_DATE_TIME,
            new DateTimeFormatterBuilder()
                    .appendPattern("EEEE, dd-MMM-")
                    .appendValueReduced(ChronoField.YEAR, 2, 2, 1970)
                    .appendPattern(" HH:mm:ss 'GMT'")
                    .toFormatter(Locale.US)
                    .withZone(ZoneOffset.UTC),
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(ZoneOffset.UTC));

    private HttpDates() {}

    static String header(Instant t) {
        return HttpDate.format(t);
    }

    static String xml(Instant t) {
        return ISO.format(t);
    }

    /** Parses an HTTP date in any of HTTP's three formats (or ISO 8601); null when absent or unparsable (HTTP says to ignore such conditions). */
    static Instant parse(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        for (DateTimeFormatter f : ACCEPTED) {
            try {
                return f.parse(v, Instant::from);
            } catch (DateTimeParseException e) {
                // try the next format
            }
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
