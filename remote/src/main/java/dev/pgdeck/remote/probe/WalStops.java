package dev.pgdeck.remote.probe;

import dev.pgdeck.model.ParseException;
import dev.pgdeck.model.wal.SegmentStops;
import dev.pgdeck.model.wal.WalDumpLine;
import dev.pgdeck.model.window.RecoverableWindows;
import dev.pgdeck.remote.host.HostCommandException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The commit and abort times of archived WAL segments ({@link SegmentStops}), read with {@link WalDump} and kept: an
 * archived segment never changes, so a refresh reads only segments it has not read before (one round trip, and none
 * when nothing new was archived). One instance per host connection, shared by its refreshes and restores; keyed by
 * archive directory, so instances do not mix.
 */
public final class WalStops {
    /** Past this many segments in all, the memory is dropped and read again as needed (a segment is ~100 bytes). */
    private static final int MAX_REMEMBERED = 200_000;
    /** How many of a run's unread segments each round asks for: the newest usually holds a commit. */
    private static final int[] READ_AHEAD = {1, 4, 16};

    private final Map<String, Map<String, SegmentStops>> byArchive = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();

    /**
     * Plans the windows of one instance, given the stops read so far (null: the WAL is not read at all) and how many
     * unread segments to name.
     */
    @FunctionalInterface
    public interface Planner {
        RecoverableWindows plan(Map<String, SegmentStops> stops, int readAhead);
    }

    /**
     * Plans, reads the segments the windows' time edges still need, and plans again, for up to three rounds (1,
     * then 4, then 16 segments per run, newest first). Where pg_waldump cannot run, the edges stay unknown with the
     * reason and {@code errors} gets it under {@code walDump}.
     */
    public RecoverableWindows plan(WalDump dump, Planner planner, Map<String, String> errors) {
        if (!dump.available()) {
            // a profile without walDump: the edges stay "not read", as for WAL that is not on the host (restic)
            return planner.plan(null, 0);
        }
        Map<String, SegmentStops> known = byArchive.computeIfAbsent(dump.archive(), a -> new ConcurrentHashMap<>());
        RecoverableWindows windows = planner.plan(known, READ_AHEAD[0]);
        for (int round = 0; round < READ_AHEAD.length; round++) {
            List<String> unread = windows.unreadSegments();
            if (unread.isEmpty()) {
                break;
            }
            try {
                read(dump, unread, known, errors);
            } catch (HostCommandException e) {
                errors.put("walDump", "the archived WAL could not be read: " + e.getMessage());
                break;
            }
            windows = planner.plan(known, READ_AHEAD[Math.min(round + 1, READ_AHEAD.length - 1)]);
        }
        return windows;
    }

    /** How many pg_waldump runs this has made (what a refresh that found nothing new must leave unchanged). */
    public int reads() {
        return reads.get();
    }

    private void read(WalDump dump, List<String> segments, Map<String, SegmentStops> known,
                      Map<String, String> errors) throws HostCommandException {
        Map<String, CommandBatch.PartResult> results = dump.run(segments, List.of("--rmgr=Transaction"),
                Duration.ofSeconds(60));
        reads.addAndGet(segments.size());
        if (known.size() + segments.size() > MAX_REMEMBERED) {
            known.clear();
        }
        for (CommandBatch.PartResult r : results.values()) {
            if (r.exitCode() == -1 || r.notInstalled()) {
                // nothing was learnt about the segment: not remembered, tried again next time
                errors.put("walDump", r.describeFailure());
                known.remove(r.key());
                continue;
            }
            known.put(r.key(), stops(r));
        }
    }

    /**
     * A segment's stops from its pg_waldump run. pg_waldump ends a segment that stops mid-record or in zeros with
     * "error in WAL record at ..." and one whose last record continues into a missing file with "could not find
     * file": both after printing all of the segment's records. Any other failure ("could not open file", "could not
     * find a valid record" for a file that is not WAL, e.g. compressed) means the segment was not read.
     */
    static SegmentStops stops(CommandBatch.PartResult r) {
        String err = r.stderr();
        if (!r.succeeded() && !err.contains("error in WAL record at") && !err.contains("could not find file")) {
            String why = err.strip();
            int nl = why.indexOf('\n');
            return SegmentStops.unreadable(r.key(), why.isEmpty() ? "pg_waldump exited with status " + r.exitCode()
                    : nl < 0 ? why : why.substring(0, nl));
        }
        try {
            return WalDumpLine.stopsOf(r.key(), r.stdout());
        } catch (ParseException e) {
            return SegmentStops.unreadable(r.key(), e.getMessage());
        }
    }
}
