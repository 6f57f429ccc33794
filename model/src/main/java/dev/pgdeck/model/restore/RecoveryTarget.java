package dev.pgdeck.model.restore;

import dev.pgdeck.model.ConfQuote;
import dev.pgdeck.model.wal.Lsn;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where a recovery stops: the end of the archive ({@link Kind#LATEST}), a time, a transaction id, a named restore
 * point, an LSN, or the end of the base backup ({@link Kind#IMMEDIATE}). Built only through the factories, which
 * refuse malformed values with a message naming what was wrong.
 */
public final class RecoveryTarget {
    public enum Kind { LATEST, TIME, XID, NAME, LSN, IMMEDIATE }

    private static final DateTimeFormatter PG_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx", Locale.ROOT);

    private final Kind kind;
    private final OffsetDateTime time;
    private final String text;
    private final Lsn lsn;

    private RecoveryTarget(Kind kind, OffsetDateTime time, String text, Lsn lsn) {
        this.kind = kind;
        this.time = time;
        this.text = text;
        this.lsn = lsn;
    }

    public static RecoveryTarget latest() {
        return new RecoveryTarget(Kind.LATEST, null, null, null);
    }

    public static RecoveryTarget immediate() {
        return new RecoveryTarget(Kind.IMMEDIATE, null, null, null);
    }

    public static RecoveryTarget time(OffsetDateTime time) {
        return new RecoveryTarget(Kind.TIME, time.withOffsetSameInstant(ZoneOffset.UTC), null, null);
    }

    /** Parses ISO-8601 with an offset ({@code 2025-10-11T14:30:00Z}) or {@code 2025-10-11 14:30:00+02}. */
    public static RecoveryTarget time(String text) {
        String t = text == null ? "" : text.strip().replace(' ', 'T');
        if (t.matches(".*[+-]\\d\\d$")) {
            t = t + ":00";
        }
        try {
            return time(OffsetDateTime.parse(t));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("target time \"" + text + "\" is not a time with a zone, e.g."
                    + " 2025-10-11T14:30:00Z or 2025-10-11 14:30:00+02");
        }
    }

    /** The largest transaction id: PostgreSQL's xids are 32-bit (recovery_target_xid takes no epoch). */
    public static final long MAX_XID = 0xFFFF_FFFFL;

    /**
     * A transaction id in decimal digits only, 3 (the first normal xid) to 2^32-1. PostgreSQL reads
     * recovery_target_xid with C's base detection ({@code 02577} as octal 1407, {@code 0x10} as hex) and cuts larger
     * numbers to 32 bits, so a leading zero, another base or a number past 2^32-1 would stop at another transaction
     * than the one shown: they are refused.
     */
    public static RecoveryTarget xid(String text) {
        String t = text == null ? "" : text.strip();
        String why = null;
        if (!t.matches("[0-9]+")) {
            why = "is not a transaction number (decimal digits only)";
        } else if (t.length() > 1 && t.charAt(0) == '0') {
            why = "starts with 0, which PostgreSQL would read as an octal number; write it without leading zeros";
        } else if (t.length() > 10 || Long.parseLong(t) > MAX_XID) {
            why = "is larger than " + MAX_XID + " (2^32-1), the largest transaction id; a pg_current_xact_id() value"
                    + " with an epoch is not one";
        } else if (Long.parseLong(t) < 3) {
            why = "is not a normal transaction id (3 or more)";
        }
        if (why != null) {
            throw new IllegalArgumentException("target transaction id \"" + text + "\" " + why);
        }
        return new RecoveryTarget(Kind.XID, null, t, null);
    }

    public static RecoveryTarget name(String name) {
        // PostgreSQL refuses a recovery_target_name of 64 bytes or more at startup (MAXFNAMELEN): after the instance
        // was stopped and moved aside; so it is counted here in the server's bytes, not in Java's characters
        if (name == null || name.isEmpty() || ConfQuote.utf8Length(name) > 63) {
            throw new IllegalArgumentException("a restore point name needs 1 to 63 bytes (PostgreSQL's limit)"
                    + (name == null || name.isEmpty() ? "" : ", not " + ConfQuote.utf8Length(name)));
        }
        String problem = ConfQuote.problem(name);
        if (problem != null) {
            throw new IllegalArgumentException("restore point name " + problem);
        }
        return new RecoveryTarget(Kind.NAME, null, name, null);
    }

    /** A WAL location written as PostgreSQL writes one: 1-8 hex digits, a slash, 1-8 hex digits. */
    public static RecoveryTarget lsn(String text) {
        String t = text == null ? "" : text.strip();
        Lsn lsn = t.matches("[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}") ? Lsn.tryParse(t) : null;
        if (lsn == null) {
            throw new IllegalArgumentException("target LSN \"" + text + "\" is not a WAL location like 0/15007A8");
        }
        return new RecoveryTarget(Kind.LSN, null, null, lsn);
    }

    public Kind kind() {
        return kind;
    }

    /** The target time (UTC), for {@link Kind#TIME}; else null. */
    public OffsetDateTime time() {
        return time;
    }

    /** The xid or restore point name; else null. */
    public String text() {
        return text;
    }

    public Lsn lsn() {
        return lsn;
    }

    /**
     * The recovery settings this target produces: the target itself, the timeline set explicitly (never the
     * default 'latest', which follows timelines that drills or earlier restores created) and promotion at the end.
     */
    public Map<String, String> settings(int timeline) {
        return settings(timeline, false);
    }

    /** As {@link #settings(int)}; with {@code pause} recovery pauses at the target (read-only) instead of promoting. */
    public Map<String, String> settings(int timeline, boolean pause) {
        Map<String, String> s = new LinkedHashMap<>();
        switch (kind) {
            case LATEST -> { }
            case IMMEDIATE -> s.put("recovery_target", "immediate");
            case TIME -> s.put("recovery_target_time", PG_TIME.format(time));
            case XID -> s.put("recovery_target_xid", text);
            case NAME -> s.put("recovery_target_name", text);
            case LSN -> s.put("recovery_target_lsn", lsn.toString());
        }
        s.put("recovery_target_timeline", Integer.toString(timeline));
        s.put("recovery_target_action", pause ? "pause" : "promote");
        return s;
    }

    /** For the operator and the drill JSON: {@code time 2025-10-11T14:30:00Z}, {@code name before_upgrade}, ... */
    public String describe() {
        return switch (kind) {
            case LATEST -> "latest";
            case IMMEDIATE -> "immediate";
            case TIME -> "time " + time.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            case XID -> "xid " + text;
            case NAME -> "name " + text;
            case LSN -> "lsn " + lsn;
        };
    }

    @Override
    public String toString() {
        return describe();
    }
}
