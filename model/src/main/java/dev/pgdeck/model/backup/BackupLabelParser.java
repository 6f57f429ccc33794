package dev.pgdeck.model.backup;

import dev.pgdeck.model.Lines;
import dev.pgdeck.model.ParseException;
import dev.pgdeck.model.wal.Lsn;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads backup_label and backup history files (PostgreSQL 15 format). Lines are {@code KEY: value}; keys this
 * class does not know (later versions add some) are skipped, but a line without {@code ": "} is an error.
 */
public final class BackupLabelParser {
    private BackupLabelParser() {}

    /**
     * @param source what the text is, for error messages (e.g. the file name)
     * @param hostZone the host's time zone, needed only when the times carry a zone abbreviation other than UTC/GMT
     */
    public static BackupLabel parse(String source, String text, ZoneId hostZone) throws ParseException {
        if (text == null || text.isBlank()) {
            throw new ParseException(source, "empty, expected backup_label lines such as \"START WAL LOCATION: ...\"");
        }
        Map<String, String> values = new HashMap<>();
        Map<String, Integer> lineOf = new HashMap<>();
        int lineNo = 0;
        for (String line : Lines.of(text)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(": ");
            if (colon <= 0 && !(line.endsWith(":") && line.indexOf(':') == line.length() - 1)) {
                throw new ParseException(source, lineNo, line, "\"KEY: value\"");
            }
            String key = colon > 0 ? line.substring(0, colon) : line.substring(0, line.length() - 1);
            String value = colon > 0 ? line.substring(colon + 2) : "";
            if (values.put(key, value) != null) {
                throw new ParseException(source, lineNo, line, "each key once, but " + key + " repeats");
            }
            lineOf.put(key, lineNo);
        }
        Reader r = new Reader(source, values, lineOf, hostZone);
        String[] start = r.walLocation("START WAL LOCATION", true);
        String[] stop = r.walLocation("STOP WAL LOCATION", false);
        return new BackupLabel(Lsn.tryParse(start[0]), start[1], r.lsn("CHECKPOINT LOCATION", true),
                r.text("BACKUP METHOD", false), r.text("BACKUP FROM", false), r.time("START TIME", true),
                r.text("LABEL", false), r.timeline("START TIMELINE", true),
                stop == null ? null : Lsn.tryParse(stop[0]), r.time("STOP TIME", stop != null),
                stop == null ? null : r.timeline("STOP TIMELINE", true));
    }

    private record Reader(String source, Map<String, String> values, Map<String, Integer> lineOf, ZoneId zone) {
        String text(String key, boolean required) throws ParseException {
            String v = values.get(key);
            if (v == null && required) {
                throw new ParseException(source, "no \"" + key + ":\" line");
            }
            return v;
        }

        private ParseException bad(String key, String expected) {
            return new ParseException(source, lineOf.get(key), key + ": " + values.get(key), expected);
        }

        /** "0/2000028 (file 000000010000000000000002)" -> {lsn, segment name}. */
        String[] walLocation(String key, boolean required) throws ParseException {
            String v = text(key, required);
            if (v == null) {
                return null;
            }
            int open = v.indexOf(" (file ");
            String lsn = open < 0 ? v : v.substring(0, open);
            String file = open < 0 || !v.endsWith(")") ? null : v.substring(open + 7, v.length() - 1);
            if (Lsn.tryParse(lsn) == null || file == null || file.length() != 24) {
                throw bad(key, "\"<LSN> (file <24-hex segment name>)\"");
            }
            return new String[] {lsn, file};
        }

        Lsn lsn(String key, boolean required) throws ParseException {
            String v = text(key, required);
            if (v == null) {
                return null;
            }
            Lsn lsn = Lsn.tryParse(v);
            if (lsn == null) {
                throw bad(key, "an LSN like 0/2000060");
            }
            return lsn;
        }

        OffsetDateTime time(String key, boolean required) throws ParseException {
            String v = text(key, required);
            if (v == null) {
                return null;
            }
            OffsetDateTime t = PgTimestamps.parse(v, zone);
            if (t == null) {
                throw bad(key, zone == null
                        ? "\"YYYY-MM-DD HH:MM:SS UTC\" (a zone name other than UTC/GMT needs the host's time zone)"
                        : "\"YYYY-MM-DD HH:MM:SS <zone>\"");
            }
            return t;
        }

        Integer timeline(String key, boolean required) throws ParseException {
            String v = text(key, required);
            if (v == null) {
                return null;
            }
            try {
                int t = Integer.parseInt(v);
                if (t >= 1) {
                    return t;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw bad(key, "a timeline number (1 or more)");
        }
    }
}
