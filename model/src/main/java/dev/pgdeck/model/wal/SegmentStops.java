package dev.pgdeck.model.wal;

import java.time.Instant;

/**
 * Where a time target can stop inside one archived WAL segment: the time of its last transaction end record (COMMIT,
 * COMMIT_PREPARED, ABORT, ABORT_PREPARED), as {@code pg_waldump} shows it. PostgreSQL 15's recovery stops for
 * recovery_target_time only before (or, inclusive, after) such a record whose time passes the target
 * (xlogrecovery.c, recoveryStopsBefore/After: "we only consider stopping before COMMIT or ABORT records"); a restore
 * point record stops only a recovery_target_name. So a time target is reachable exactly when a later commit or abort
 * is in the WAL that recovery replays. An archived segment never changes, so this is read once per segment.
 *
 * @param lastStop the latest commit or abort time in the segment, null when it holds none
 * @param stops how many commit and abort records it holds
 * @param error why the segment could not be read (then lastStop is unknown), else null
 */
public record SegmentStops(String segment, Instant lastStop, int stops, String error) {
    public static SegmentStops unreadable(String segment, String error) {
        return new SegmentStops(segment, null, 0, error);
    }

    public boolean readable() {
        return error == null;
    }
}
