package dev.mockstorage.internal.clock;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * HTTP's date format, IMF-fixdate (RFC 9110 section 5.6.7: {@code Thu, 03 Dec 2026 08:22:24 GMT}), written
 * by hand: the day and month names are fixed English, so there is no reason to go through
 * {@code DateTimeFormatter}, whose first text field loads the JDK's locale data, about 30 ms of a cold
 * JVM spent on the first response of every start (its {@code Date} header).
 */
public final class HttpDate {
    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
    };

    private HttpDate() {}

    /** {@code t} as an IMF-fixdate, the fraction of a second dropped. */
    public static String format(Instant t) {
        return format(t.getEpochSecond());
    }

    /** The second {@code epochSecond} (since 1970-01-01T00:00:00Z) as an IMF-fixdate. */
    public static String format(long epochSecond) {
        LocalDateTime d = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
        StringBuilder s = new StringBuilder(29);
        s.append(DAYS[d.getDayOfWeek().ordinal()]).append(", ");
        two(s, d.getDayOfMonth()).append(' ');
        s.append(MONTHS[d.getMonthValue() - 1]).append(' ');
        int year = d.getYear();
        if (year >= 0 && year < 1000) {
            s.append(year < 10 ? "000" : year < 100 ? "00" : "0");
        }
        s.append(year).append(' ');
        two(s, d.getHour()).append(':');
        two(s, d.getMinute()).append(':');
        return two(s, d.getSecond()).append(" GMT").toString();
    }

    private static StringBuilder two(StringBuilder s, int value) {
        return s.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}
