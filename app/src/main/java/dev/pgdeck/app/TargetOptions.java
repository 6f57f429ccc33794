package dev.pgdeck.app;

import dev.pgdeck.model.restore.RecoveryTarget;
import picocli.CommandLine.Option;

/** The recovery target of `restore` and `drill`: exactly one of these. */
final class TargetOptions {
    @Option(names = "--target-time", paramLabel = "TIME", description = "A time with zone, e.g."
            + " 2025-10-11T14:30:00Z")
    String time;

    @Option(names = "--target-xid", paramLabel = "XID", description = "A transaction id")
    String xid;

    @Option(names = "--target-name", paramLabel = "NAME", description = "A named restore point")
    String name;

    @Option(names = "--target-lsn", paramLabel = "LSN", description = "A WAL location, e.g. 0/15007A8")
    String lsn;

    @Option(names = "--latest", description = "The end of the archive")
    boolean latest;

    @Option(names = "--immediate", description = "The end of the base backup")
    boolean immediate;

    /** The target; throws IllegalArgumentException naming what was wrong with the value. */
    RecoveryTarget target() {
        if (time != null) {
            return RecoveryTarget.time(time);
        }
        if (xid != null) {
            return RecoveryTarget.xid(xid);
        }
        if (name != null) {
            return RecoveryTarget.name(name);
        }
        if (lsn != null) {
            return RecoveryTarget.lsn(lsn);
        }
        return immediate ? RecoveryTarget.immediate() : RecoveryTarget.latest();
    }
}
