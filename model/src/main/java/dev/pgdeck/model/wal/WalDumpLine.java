package dev.pgdeck.model.wal;

import dev.pgdeck.model.ParseException;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * One record line of {@code pg_waldump} (PostgreSQL 15):
 * <pre>
 * rmgr: Transaction len (rec/tot):     34/    34, tx:        735, lsn: 0/01000108, prev 0/010000D0, desc: COMMIT 2026-12-07 23:00:00.123456 UTC
 * </pre>
 * {@code desc} starts with the record's identity ({@code COMMIT}, {@code INSERT}, ...) followed by the resource
 * manager's description. Times in descriptions are local times of pg_waldump's process with a zone abbreviation,
 * so pgdeck runs it with {@code TZ=UTC} and reads only {@code UTC} times.
 */
public record WalDumpLine(String rmgr, long xid, Lsn lsn, Lsn prev, String identity, String detail) {
    public static final String SOURCE = "pg_waldump output";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS",
            Locale.ROOT);

    /** The record on this line, or null when the line is not a record (pg_waldump's own messages). */
    public static WalDumpLine tryParse(String line) throws ParseException {
        if (!line.startsWith("rmgr: ")) {
            return null;
        }
        int len = line.indexOf(" len (rec/tot):");
        int tx = line.indexOf(", tx:", len);
        int lsn = line.indexOf(", lsn: ", tx);
        int prev = line.indexOf(", prev ", lsn);
        int desc = line.indexOf(", desc: ", prev);
        if (len < 0 || tx < 0 || lsn < 0 || prev < 0 || desc < 0) {
            throw new ParseException(SOURCE, 0, line, "\"rmgr: <name> len (rec/tot): ..., tx: <xid>, lsn: <LSN>,"
                    + " prev <LSN>, desc: <identity> <detail>\"");
        }
        String rmgr = line.substring(6, len).strip();
        long xid;
        try {
            xid = Long.parseLong(line.substring(tx + 5, lsn).strip());
        } catch (NumberFormatException e) {
            throw new ParseException(SOURCE, 0, line, "a transaction id after \"tx:\"");
        }
        Lsn at = Lsn.tryParse(line.substring(lsn + 7, prev).strip());
        Lsn before = Lsn.tryParse(line.substring(prev + 7, desc).strip());
        if (at == null || before == null) {
            throw new ParseException(SOURCE, 0, line, "LSNs after \"lsn:\" and \"prev\"");
        }
        String d = line.substring(desc + 8).strip();
        int space = d.indexOf(' ');
        return new WalDumpLine(rmgr, xid, at, before, space < 0 ? d : d.substring(0, space),
                space < 0 ? "" : d.substring(space + 1));
    }

    /**
     * The time of a record recovery_target_time can stop at (a Transaction COMMIT, COMMIT_PREPARED, ABORT or
     * ABORT_PREPARED), null for any other record.
     */
    public Instant recoveryStopTime() throws ParseException {
        if (!rmgr.equals("Transaction")) {
            return null;
        }
        String t = detail;
        switch (identity) {
            case "COMMIT", "ABORT" -> { }
            case "COMMIT_PREPARED", "ABORT_PREPARED" -> {
                // "<prepared xid>: <time>"
                int colon = t.indexOf(": ");
                t = colon < 0 ? "" : t.substring(colon + 2);
            }
            default -> {
                return null;
            }
        }
        // "2026-12-07 23:00:00.123456 UTC; rels: ..." (the time is first; more detail may follow a ';')
        int semi = t.indexOf(';');
        String stamp = (semi < 0 ? t : t.substring(0, semi)).strip();
        if (stamp.length() != 30 || !stamp.endsWith(" UTC")) {
            throw new ParseException(SOURCE, 0, identity + " " + detail,
                    "a time \"YYYY-MM-DD HH:MM:SS.ffffff UTC\" (pg_waldump run with TZ=UTC)");
        }
        try {
            return LocalDateTime.parse(stamp.substring(0, 26), TIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new ParseException(SOURCE, 0, identity + " " + detail, "a time \"YYYY-MM-DD HH:MM:SS.ffffff UTC\"");
        }
    }

    /**
     * The stop points of one segment (the latest time, not the last record's: see above) from {@code pg_waldump} output over it. Lines that are not records (its own
     * messages) are skipped; a record line that cannot be read fails the whole segment rather than hide a stop.
     */
    public static SegmentStops stopsOf(String segment, String output) throws ParseException {
        Instant last = null;
        int count = 0;
        int start = 0;
        int n = output.length();
        while (start < n) {
            int end = output.indexOf('\n', start);
            if (end < 0) {
                end = n;
            }
            String line = output.substring(start, end);
            start = end + 1;
            WalDumpLine record = tryParse(line);
            Instant t = record == null ? null : record.recoveryStopTime();
            if (t != null) {
                count++;
                // Commit times are taken before the record is inserted: concurrent ones can be out of LSN order.
                last = last == null || t.isAfter(last) ? t : last;
            }
        }
        return new SegmentStops(segment, last, count, null);
    }
}
