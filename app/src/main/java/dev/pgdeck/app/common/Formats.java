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
}
