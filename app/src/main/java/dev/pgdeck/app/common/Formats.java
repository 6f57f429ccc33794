package dev.pgdeck.app.common;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How numbers, sizes and times look in the console. */
public final class Formats {
    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB"};

    private Formats() {}

    public static String bytes(Long bytes) {
        if (bytes == null) {
            return "";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format("%.1f %s", value, UNITS[unit]);
    }

    public static String time(OffsetDateTime time) {
        return time == null ? "" : LOCAL_TIME.format(time.atZoneSameInstant(ZoneId.systemDefault()));
    }

    public static String time(java.time.Instant time) {
        return time == null ? "" : LOCAL_TIME.format(time.atZone(ZoneId.systemDefault()));
    }

    public static String duration(Duration duration) {
        long ms = duration.toMillis();
        return ms < 1000 ? ms + " ms" : String.format("%.2f s", ms / 1000.0);
    }

    /** A long span in its two largest units: {@code 3 d 4 h}, {@code 2 h 5 min}, {@code 45 s}. */
    public static String span(Duration span) {
        if (span == null) {
            return "";
        }
        long s = Math.max(0, span.getSeconds());
        long d = s / 86_400;
        long h = s % 86_400 / 3_600;
        long m = s % 3_600 / 60;
        if (d > 0) {
            return d + " d " + h + " h";
        }
        if (h > 0) {
            return h + " h " + m + " min";
        }
        return m > 0 ? m + " min " + s % 60 + " s" : s + " s";
    }

    /** How long ago, in its largest unit: {@code 3 d ago}, {@code 5 h ago}, {@code 12 min ago}, {@code just now}. */
    public static String ago(Duration age) {
        long s = Math.max(0, age.getSeconds());
        if (s < 60) {
            return "just now";
        }
        if (s < 3_600) {
            return s / 60 + " min ago";
        }
        return s < 86_400 ? s / 3_600 + " h ago" : s / 86_400 + " d ago";
    }

    /** A clock time of today, {@code HH:mm:ss}, in the local zone. */
    public static String clock(java.time.Instant time) {
        return time == null ? "" : DateTimeFormatter.ofPattern("HH:mm:ss").format(time.atZone(ZoneId.systemDefault()));
    }

    public static String count(Number n) {
        return n == null ? "" : String.format("%,d", n.longValue());
    }
}
