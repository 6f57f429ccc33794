package dev.pgdeck.app.restore;

import dev.pgdeck.model.restore.RecoveryTarget;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** The target page's fields turned into a {@link RecoveryTarget}; a bad field throws with a message naming it. */
final class TargetInput {
    private TargetInput() {}

    static RecoveryTarget parse(RecoveryTarget.Kind kind, LocalDate date, String time, String xid, String name,
                                String lsn) {
        return switch (kind) {
            case LATEST -> RecoveryTarget.latest();
            case IMMEDIATE -> RecoveryTarget.immediate();
            case TIME -> RecoveryTarget.time(date(date).atTime(clock(time)).atOffset(ZoneOffset.UTC));
            case XID -> RecoveryTarget.xid(xid);
            case NAME -> RecoveryTarget.name(name == null ? "" : name.strip());
            case LSN -> RecoveryTarget.lsn(lsn);
        };
    }

    private static LocalDate date(LocalDate date) {
        if (date == null) {
            throw new IllegalArgumentException("choose the target date");
        }
        return date;
    }

    /** HH:mm, HH:mm:ss or HH:mm:ss.SSS (UTC). */
    static LocalTime clock(String text) {
        String t = text == null ? "" : text.strip();
        try {
            return LocalTime.parse(t);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("target time \"" + t + "\" is not a time of day like 14:30:00");
        }
    }
}
