package dev.pgdeck.model.wal;

import dev.pgdeck.model.ParseException;

/**
 * A file name that can appear in a WAL archive (or as pg_stat_archiver.last_archived_wal): a segment
 * {@code 000000010000000000000006}, a partial segment {@code ...06.partial}, a backup history file
 * {@code 000000010000000000000006.00000028.backup} or a timeline history file {@code 00000002.history}.
 *
 * @param segment the segment, null for a timeline history file
 * @param backupOffset the start offset inside the segment for a backup history file, else -1
 */
public record WalFileName(String name, Kind kind, int timeline, WalSegment segment, long backupOffset) {
    public enum Kind { SEGMENT, PARTIAL, BACKUP_HISTORY, TIMELINE_HISTORY }

    public static WalFileName parse(String name) throws ParseException {
        WalFileName f = tryParse(name);
        if (f == null) {
            throw new ParseException("WAL file name", 0, name, "a WAL segment, .partial, .backup or .history file name");
        }
        return f;
    }

    /** The parsed name, or null when it is not a WAL archive file name. */
    public static WalFileName tryParse(String name) {
        if (name == null) {
            return null;
        }
        int len = name.length();
        if (len == 24) {
            WalSegment s = WalSegment.at(name);
            return s == null ? null : new WalFileName(name, Kind.SEGMENT, s.timeline(), s, -1);
        }
        if (len == 32 && name.endsWith(".partial")) {
            WalSegment s = WalSegment.at(name);
            return s == null ? null : new WalFileName(name, Kind.PARTIAL, s.timeline(), s, -1);
        }
        if (len == 40 && name.charAt(24) == '.' && name.endsWith(".backup")) {
            WalSegment s = WalSegment.at(name);
            long offset = Hex.parse8(name, 25);
            return s == null || offset < 0 || offset >= WalSegment.SIZE ? null
                    : new WalFileName(name, Kind.BACKUP_HISTORY, s.timeline(), s, offset);
        }
        if (len == 16 && name.endsWith(".history")) {
            long tli = Hex.parse8(name, 0);
            return tli < 1 ? null : new WalFileName(name, Kind.TIMELINE_HISTORY, (int) tli, null, -1);
        }
        return null;
    }

    /** The name of the backup history file written for a backup that started at {@code start} on {@code timeline}. */
    public static String backupHistoryName(int timeline, Lsn start) {
        StringBuilder sb = new StringBuilder(start.segmentName(timeline)).append('.');
        Hex.append8(sb, start.offsetInSegment());
        return sb.append(".backup").toString();
    }

    public static String timelineHistoryName(int timeline) {
        StringBuilder sb = new StringBuilder(16);
        Hex.append8(sb, timeline);
        return sb.append(".history").toString();
    }

    public boolean isSegment() {
        return kind == Kind.SEGMENT;
    }
}
