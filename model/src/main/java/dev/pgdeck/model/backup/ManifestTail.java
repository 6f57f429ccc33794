package dev.pgdeck.model.backup;

import dev.pgdeck.model.ParseException;
import dev.pgdeck.model.wal.Lsn;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the "WAL-Ranges" of a backup_manifest from its last bytes only ({@code tail -c}). A manifest lists every file
 * of the backup and can be many megabytes; the WAL ranges and the checksum come last, after "Files". The checksum is
 * not verified here (that needs the whole file: {@link BackupManifestParser}).
 */
public final class ManifestTail {
    /** Enough for the ranges of a backup that crossed a few timelines, and the checksum line. */
    public static final int TAIL_BYTES = 4096;
    private static final Pattern RANGE = Pattern.compile(
            "\\{\\s*\"Timeline\"\\s*:\\s*(\\d+)\\s*,\\s*\"Start-LSN\"\\s*:\\s*\"([0-9A-Fa-f]+/[0-9A-Fa-f]+)\"\\s*,"
                    + "\\s*\"End-LSN\"\\s*:\\s*\"([0-9A-Fa-f]+/[0-9A-Fa-f]+)\"\\s*}");

    private ManifestTail() {}

    public static List<WalRange> walRanges(String source, String tail) throws ParseException {
        if (tail == null || tail.isBlank()) {
            throw new ParseException(source, "empty, expected the end of a backup_manifest with \"WAL-Ranges\"");
        }
        int at = tail.lastIndexOf("\"WAL-Ranges\"");
        if (at < 0) {
            throw new ParseException(source, "no \"WAL-Ranges\" in the last " + TAIL_BYTES
                    + " bytes (not a backup_manifest, or truncated)");
        }
        int end = tail.indexOf(']', at);
        if (end < 0) {
            throw new ParseException(source, "\"WAL-Ranges\" is not closed by ']' (the manifest is truncated)");
        }
        Matcher m = RANGE.matcher(tail.substring(at, end));
        List<WalRange> ranges = new ArrayList<>();
        while (m.find()) {
            Lsn start = Lsn.tryParse(m.group(2));
            Lsn stop = Lsn.tryParse(m.group(3));
            int tli = m.group(1).length() > 9 ? -1 : Integer.parseInt(m.group(1));
            if (start == null || stop == null || tli < 1 || stop.isBefore(start)) {
                throw new ParseException(source, "WAL range " + m.group() + " should have a timeline >= 1 and"
                        + " Start-LSN <= End-LSN");
            }
            ranges.add(new WalRange(tli, start, stop));
        }
        if (ranges.isEmpty()) {
            throw new ParseException(source, "\"WAL-Ranges\" holds no {\"Timeline\", \"Start-LSN\", \"End-LSN\"} entry");
        }
        return ranges;
    }
}
