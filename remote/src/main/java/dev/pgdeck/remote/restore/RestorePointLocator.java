package dev.pgdeck.remote.restore;

import dev.pgdeck.model.ParseException;
import dev.pgdeck.model.wal.Lsn;
import dev.pgdeck.model.wal.TimelineHistory;
import dev.pgdeck.model.wal.TimelineRange;
import dev.pgdeck.model.wal.WalArchive;
import dev.pgdeck.model.wal.WalDumpLine;
import dev.pgdeck.model.wal.WalGap;
import dev.pgdeck.model.wal.WalSegment;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.probe.CommandBatch;
import dev.pgdeck.remote.probe.WalDump;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds a restore point pgdeck did not log (made with {@code pg_create_restore_point()} by hand or by another tool)
 * in the archived WAL: {@code pg_waldump --rmgr=XLOG} over the segments of the timelines recovery to a timeline
 * passes, looking for the RESTORE_POINT record of that name. Only asked when the choice of backup depends on where
 * the point lies (the window has a gap), since it reads every such segment.
 */
final class RestorePointLocator {
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private RestorePointLocator() {}

    /**
     * The LSN of the first RESTORE_POINT record named {@code name} on the way to {@code timeline}, empty when no
     * archived segment holds one (or pg_waldump cannot run there).
     */
    static Optional<Lsn> locate(WalDump dump, WalArchive archive, TimelineHistory history, int timeline, String name)
            throws HostCommandException {
        if (!dump.available()) {
            return Optional.empty();
        }
        List<String> segments = new ArrayList<>();
        for (TimelineRange range : archive.timelines()) {
            if (range.timeline() == timeline || history.descendsFrom(range.timeline())) {
                segments.addAll(present(range));
            }
        }
        if (segments.isEmpty()) {
            return Optional.empty();
        }
        Map<String, CommandBatch.PartResult> out = dump.run(segments, List.of("--rmgr=XLOG"), TIMEOUT);
        Lsn first = null;
        for (CommandBatch.PartResult r : out.values()) {
            for (String line : r.stdout().split("\n")) {
                WalDumpLine record;
                try {
                    record = WalDumpLine.tryParse(line);
                } catch (ParseException e) {
                    continue;
                }
                if (record != null && record.rmgr().equals("XLOG") && record.identity().equals("RESTORE_POINT")
                        && record.detail().equals(name) && (first == null || record.lsn().isBefore(first))) {
                    first = record.lsn();
                }
            }
        }
        return Optional.ofNullable(first);
    }

    /** The segment names of a range, without its gaps. */
    private static List<String> present(TimelineRange range) {
        WalSegment first = WalSegment.tryParse(range.first());
        WalSegment last = WalSegment.tryParse(range.last());
        List<String> names = new ArrayList<>();
        if (first == null || last == null) {
            return names;
        }
        for (WalSegment s = first; s.compareTo(last) <= 0; s = s.next()) {
            boolean missing = false;
            for (WalGap g : range.gaps()) {
                if (s.name().compareTo(g.after()) > 0 && s.name().compareTo(g.before()) < 0) {
                    missing = true;
                    break;
                }
            }
            if (!missing) {
                names.add(s.name());
            }
        }
        return names;
    }
}
