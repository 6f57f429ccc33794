package dev.pgdeck.model.backup;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Times as PostgreSQL writes them into backup_label: {@code 2025-10-11 12:00:01 UTC}, i.e. strftime's
 * {@code %Y-%m-%d %H:%M:%S %Z} in log_timezone. A zone abbreviation such as CEST is not unique world-wide, so
 * anything but UTC/GMT or a numeric offset needs the host's time zone.
 */
final class PgTimestamps {
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter ABBREVIATION = DateTimeFormatter.ofPattern("zzz", Locale.ROOT);

    private PgTimestamps() {}

    /** The time, or null when it cannot be read; {@code hostZone} may be null. */
    static OffsetDateTime parse(String text, ZoneId hostZone) {
        int space = text.indexOf(' ', text.indexOf(' ') + 1);
        if (space < 0) {
            return null;
        }
        LocalDateTime local;
        try {
            local = LocalDateTime.parse(text.substring(0, space), LOCAL);
        } catch (DateTimeParseException e) {
            return null;
        }
        String zone = text.substring(space + 1).strip();
        if (zone.equals("UTC") || zone.equals("GMT") || zone.equals("Z") || zone.equals("UCT")) {
            return local.atOffset(ZoneOffset.UTC);
        }
        if (zone.startsWith("+") || zone.startsWith("-")) {
            try {
                return local.atOffset(ZoneOffset.of(zone.length() == 3 ? zone + ":00" : zone));
            } catch (RuntimeException e) {
                return null;
            }
        }
        if (hostZone == null) {
            return null;
        }
        ZonedDateTime earlier = local.atZone(hostZone).withEarlierOffsetAtOverlap();
        ZonedDateTime later = earlier.withLaterOffsetAtOverlap();
        if (!ABBREVIATION.format(earlier).equals(zone) && ABBREVIATION.format(later).equals(zone)) {
            return later.toOffsetDateTime();
        }
        return earlier.toOffsetDateTime();
    }
}
