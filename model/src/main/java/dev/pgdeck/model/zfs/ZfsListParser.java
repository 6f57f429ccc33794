package dev.pgdeck.model.zfs;

import dev.pgdeck.model.Lines;
import dev.pgdeck.model.ParseException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code zfs list -H -p -t snapshot -o name,creation,used,refer}: one tab-separated line per snapshot,
 * creation in epoch seconds and sizes in bytes (that is what -p gives). Empty output means no snapshots: zfs then
 * says "no datasets available" on stderr only.
 */
public final class ZfsListParser {
    public static final String SOURCE = "zfs list -H -p -t snapshot -o name,creation,used,refer";
    private static final String EXPECTED = "\"<dataset>@<snapshot>\\t<creation epoch seconds>\\t<used bytes>\\t<refer bytes>\"";

    private ZfsListParser() {}

    public static List<ZfsSnapshot> parse(String output) throws ParseException {
        List<ZfsSnapshot> snapshots = new ArrayList<>();
        if (output == null) {
            return snapshots;
        }
        int lineNo = 0;
        for (String line : Lines.of(output)) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 4) {
                throw new ParseException(SOURCE, lineNo, line, "4 tab-separated fields " + EXPECTED);
            }
            int at = f[0].indexOf('@');
            if (at <= 0 || at == f[0].length() - 1 || f[0].indexOf('@', at + 1) >= 0) {
                throw new ParseException(SOURCE, lineNo, line, "a snapshot name \"<dataset>@<snapshot>\" first");
            }
            long creation = number(f[1]);
            long used = number(f[2]);
            long refer = number(f[3]);
            if (creation < 0 || used < 0 || refer < 0 || creation > LATEST_CREATION) {
                throw new ParseException(SOURCE, lineNo, line,
                        "whole numbers for creation, used and refer (did the command lose its -p?)");
            }
            snapshots.add(new ZfsSnapshot(f[0].substring(0, at), f[0].substring(at + 1), Instant.ofEpochSecond(creation),
                    used, refer));
        }
        return snapshots;
    }

    /** 9999-12-31T23:59:59Z: a creation time beyond is no time (and beyond Instant's range, a crash). */
    private static final long LATEST_CREATION = 253_402_300_799L;

    private static long number(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(s);
    }
}
