package dev.pgdeck.model.restore;

import dev.pgdeck.model.backup.BaseBackup;
import dev.pgdeck.model.wal.Lsn;
import dev.pgdeck.model.wal.WalSegment;
import dev.pgdeck.model.window.CoveredRun;
import dev.pgdeck.model.window.TimeEdge;
import dev.pgdeck.model.window.TimelineWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks a target against the recoverable window and one chosen backup before anything runs: refused before the
 * backup's stop, past the last archived WAL or beyond a WAL gap, and a time not before the last commit in the
 * archived WAL (the window's "latest time target", {@link TimeEdge}), with the reason in words; warned near the edges
 * (the margin), and where a target kind cannot be checked ahead (a transaction id, an unknown restore point name).
 */
public final class TargetValidator {
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private static final DateTimeFormatter SHOWN_MICROS = DateTimeFormatter.ofPattern(
            "yyyy-MM-dd HH:mm:ss.SSSSSS 'UTC'").withZone(ZoneOffset.UTC);

    private final Duration margin;

    public TargetValidator(Duration margin) {
        this.margin = margin;
    }

    public TargetValidator() {
        this(Duration.ofSeconds(60));
    }

    public TargetCheck check(RecoveryTarget target, BaseBackup backup, int timeline, RecoveryFacts facts) {
        List<String> refusals = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (!backup.isComplete()) {
            refusals.add("backup " + backup.label() + " has no known stop point, so recovery cannot start from it");
            return new TargetCheck(refusals, warnings);
        }
        if (!facts.history(timeline).descendsFrom(backup.timeline())
                || facts.history(timeline).timelineAt(backup.stopLsn()) != backup.timeline()) {
            refusals.add("backup " + backup.label() + " was taken on timeline " + backup.timeline()
                    + ", which is not on the way to timeline " + timeline);
            return new TargetCheck(refusals, warnings);
        }
        Optional<TimelineWindow> window = facts.windows().timeline(timeline);
        Optional<CoveredRun> run = window.flatMap(w -> runOf(w, backup));
        if (run.isEmpty()) {
            refusals.add("backup " + backup.label() + " cannot be recovered on timeline " + timeline
                    + ": the WAL from its stop point on is not in the archive");
            return new TargetCheck(refusals, warnings);
        }
        CoveredRun r = run.get();
        Instant stop = stopTime(backup, r);
        switch (target.kind()) {
            case TIME -> checkTime(target.time().toInstant(), backup, stop, r, window.get(), refusals, warnings);
            case LSN -> checkLsn(target.lsn(), "LSN " + target.lsn(), backup, timeline, r, refusals, warnings);
            case NAME -> {
                Lsn at = facts.restorePoints().get(target.text());
                if (at != null) {
                    checkLsn(at, "restore point \"" + target.text() + "\" (at " + at + ")", backup, timeline, r,
                            refusals, warnings);
                } else {
                    warnings.add("restore point \"" + target.text() + "\" is not in pgdeck's restore-point log, so"
                            + " it cannot be checked ahead: if the WAL after backup " + backup.label()
                            + " does not hold it, recovery ends at the end of the archive without promoting");
                }
            }
            case XID -> warnings.add("a transaction id cannot be checked against the window ahead: if transaction "
                    + target.text() + " ended before backup " + backup.label() + " finished ("
                    + SHOWN.format(stop) + ") or is not in the archive, recovery stops without reaching it");
            case LATEST -> {
                if (r.stoppedAt() != null) {
                    warnings.add("latest means " + SHOWN.format(r.to()) + " from this backup: WAL segment "
                            + r.stoppedAt() + " is missing, so later WAL cannot be replayed");
                }
            }
            case IMMEDIATE -> { }
        }
        return new TargetCheck(withoutOlderAdvice(refusals, backup, facts), warnings);
    }

    static final String OLDER_ADVICE = "; choose an older backup";

    /**
     * A target before {@code backup} is advised to choose an older backup only where one exists: before the oldest
     * complete backup no recovery can reach it, and the refusal says so instead.
     */
    private static List<String> withoutOlderAdvice(List<String> refusals, BaseBackup backup, RecoveryFacts facts) {
        boolean older = facts.backups().stream()
                .anyMatch(b -> b.isComplete() && b.stopLsn().isBefore(backup.stopLsn()));
        if (older) {
            return refusals;
        }
        return refusals.stream().map(m -> m.endsWith(OLDER_ADVICE) ? m.substring(0, m.length()
                - OLDER_ADVICE.length()) + "; there is no older base backup, so no recovery can reach it" : m)
                .toList();
    }

    private void checkTime(Instant t, BaseBackup backup, Instant stop, CoveredRun r, TimelineWindow w,
                           List<String> refusals, List<String> warnings) {
        if (t.isBefore(stop)) {
            refusals.add("target " + SHOWN.format(t) + " is before backup " + backup.label() + " finished ("
                    + SHOWN.format(stop) + "): a recovery from it cannot stop earlier" + OLDER_ADVICE);
            return;
        }
        if (t.isAfter(r.to())) {
            if (r.stoppedAt() != null) {
                refusals.add("target " + SHOWN.format(t) + " lies past a gap in the WAL archive: segment "
                        + r.stoppedAt() + " is missing, so recovery from backup " + backup.label() + " ends at "
                        + SHOWN.format(r.to()) + (w.covers(t) ? "; choose a backup taken after the gap" : ""));
            } else {
                refusals.add("target " + SHOWN.format(t) + " is past the last archived WAL: the latest recoverable"
                        + " time is " + SHOWN.format(r.to()));
            }
            return;
        }
        TimeEdge edge = r.timeEdge();
        if (edge.latest() != null && !t.isBefore(edge.latest())) {
            refusals.add("target " + SHOWN_MICROS.format(t) + " is not before the last commit in the archived WAL ("
                    + SHOWN_MICROS.format(edge.latest()) + "): recovery to a time stops only at a commit or abort"
                    + " later than the target, so it would replay all archived WAL and end without reaching it;"
                    + " choose a time before " + SHOWN_MICROS.format(edge.latest()) + ", or \"latest\" to recover"
                    + " everything archived (to " + SHOWN.format(r.to()) + ")");
            return;
        }
        if (edge.none()) {
            refusals.add("the archived WAL after backup " + backup.label() + " holds no commit or abort, so no time"
                    + " target can be reached; choose \"latest\" to recover everything archived (to "
                    + SHOWN.format(r.to()) + ")");
            return;
        }
        if (!edge.known() && edge.tried()) {
            warnings.add("whether a commit follows the target in the archived WAL could not be checked ("
                    + edge.unknown() + "): if none does, recovery ends without reaching it");
        }
        if (Duration.between(stop, t).compareTo(margin) < 0) {
            warnings.add("target is within " + margin.toSeconds() + " s of the backup's end ("
                    + SHOWN.format(stop) + ")");
        }
        if (edge.latest() == null && Duration.between(t, r.to()).compareTo(margin) < 0) {
            warnings.add("target is within " + margin.toSeconds() + " s of the last archived WAL ("
                    + SHOWN.format(r.to()) + "): commits after that may not be archived yet");
        }
    }

    private static void checkLsn(Lsn lsn, String what, BaseBackup backup, int timeline, CoveredRun r,
                                 List<String> refusals, List<String> warnings) {
        if (lsn.isBefore(backup.stopLsn())) {
            refusals.add(what + " is before backup " + backup.label() + " finished (at " + backup.stopLsn()
                    + "): a recovery from it cannot stop earlier" + OLDER_ADVICE);
            return;
        }
        WalSegment last = r.lastSegment() == null ? null : WalSegment.tryParse(r.lastSegment());
        long lastNumber = last == null ? backup.stopLsn().segmentOfPreviousByte(timeline).number() : last.number();
        long needed = lsn.segment(timeline).number();
        if (needed > lastNumber) {
            refusals.add(r.stoppedAt() != null
                    ? what + " lies past a gap in the WAL archive: segment " + r.stoppedAt() + " is missing"
                    : what + " is past the last archived WAL (the last segment is " + r.lastSegment() + ")");
        } else if (needed == lastNumber) {
            warnings.add(what + " is in the last archived segment " + r.lastSegment());
        }
    }

    /** The covered run a backup's recovery follows: its own, or the run its stop point falls inside. */
    static Optional<CoveredRun> runOf(TimelineWindow w, BaseBackup backup) {
        Optional<CoveredRun> own = w.runs().stream().filter(r -> r.backup().equals(backup.label())).findFirst();
        if (own.isPresent() || backup.stopTime() == null) {
            return own;
        }
        Instant stop = backup.stopTime().toInstant();
        return w.runs().stream().filter(r -> !stop.isBefore(r.from()) && !stop.isAfter(r.to())).findFirst();
    }

    static Instant stopTime(BaseBackup backup, CoveredRun r) {
        return backup.stopTime() != null ? backup.stopTime().toInstant() : r.from();
    }
}
