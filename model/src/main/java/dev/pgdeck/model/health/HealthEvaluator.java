package dev.pgdeck.model.health;

import dev.pgdeck.model.ArchiverStats;
import dev.pgdeck.model.backup.BaseBackup;
import dev.pgdeck.model.metrics.Sample;
import dev.pgdeck.model.systemd.FailedUnit;
import dev.pgdeck.model.systemd.TimerStatus;
import dev.pgdeck.model.window.TimelineWindow;
import dev.pgdeck.model.window.WindowGap;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Turns an instance's state into ok / warn / fail with reasons in words. */
public final class HealthEvaluator {
    private HealthEvaluator() {}

    public static Health evaluate(HealthInput in, HealthThresholds t) {
        List<HealthReason> reasons = new ArrayList<>();
        archiver(in.archiver(), reasons);
        lag(in.lag(), t, reasons);
        backups(in, t, reasons);
        window(in, reasons);
        units(in, reasons);
        metrics(in, reasons);
        drills(in, t, reasons);
        return Health.of(reasons);
    }

    private static void archiver(ArchiverStats a, List<HealthReason> out) {
        if (a == null) {
            out.add(warn("the archiver statistics could not be read"));
            return;
        }
        OffsetDateTime ok = a.lastArchivedTime();
        OffsetDateTime failed = a.lastFailedTime();
        if (failed != null && (ok == null || failed.isAfter(ok))) {
            out.add(fail("WAL archiving is failing: " + a.lastFailedWal() + " failed at " + failed
                    + (ok == null ? ", and nothing was ever archived" : ", last success at " + ok)));
        } else if (ok == null) {
            out.add(warn("no WAL has been archived yet"));
        }
    }

    private static void lag(ArchiveLag lag, HealthThresholds t, List<HealthReason> out) {
        if (lag == null) {
            return;
        }
        if (lag.bytes() > 0 && lag.age() != null) {
            String text = "WAL archiving is " + words(lag.age()) + " behind (" + lag.bytes() + " bytes not archived)";
            if (lag.age().compareTo(t.archiveLagFail()) > 0) {
                out.add(fail(text + ", over the " + words(t.archiveLagFail()) + " limit"));
            } else if (lag.age().compareTo(t.archiveLagWarn()) > 0) {
                out.add(warn(text + ", over the " + words(t.archiveLagWarn()) + " limit"));
            }
        }
        if (lag.readyFiles() > t.readyFilesWarn()) {
            out.add(warn(lag.readyFiles() + " WAL files are waiting to be archived (.ready)"));
        }
    }

    private static void backups(HealthInput in, HealthThresholds t, List<HealthReason> out) {
        if (in.backups() == null) {
            out.add(warn("the base backups could not be listed"));
            return;
        }
        Optional<Instant> newest = in.backups().stream()
                .map(b -> b.stopTime() != null ? b.stopTime() : b.startTime())
                .filter(x -> x != null).map(OffsetDateTime::toInstant).max(Comparator.naturalOrder());
        if (newest.isEmpty()) {
            out.add(fail("there is no base backup"));
            return;
        }
        Duration age = Duration.between(newest.get(), in.now());
        String text = "the last base backup is " + words(age) + " old";
        if (age.compareTo(t.backupAgeFail()) > 0) {
            out.add(fail(text + ", older than " + words(t.backupAgeFail())));
        } else if (age.compareTo(t.backupAgeWarn()) > 0) {
            out.add(warn(text + ", older than its schedule allows (" + words(t.backupAgeWarn()) + ")"));
        }
        for (BaseBackup b : in.backups()) {
            if (!b.isComplete()) {
                out.add(warn("base backup " + b.label() + " has no stop position (unfinished or missing files)"));
            }
        }
    }

    private static void window(HealthInput in, List<HealthReason> out) {
        if (in.windows() == null) {
            return;
        }
        Optional<TimelineWindow> current = in.windows().current();
        if (current.isEmpty()) {
            if (in.backups() != null && !in.backups().isEmpty()) {
                out.add(fail("nothing is recoverable on timeline " + in.windows().currentTimeline()));
            }
            return;
        }
        TimelineWindow w = current.get();
        for (WindowGap g : w.gaps()) {
            out.add(warn("WAL gap inside the recoverable window: no recovery to a time between " + g.from() + " and "
                    + g.to() + (g.firstMissingSegment() == null ? "" : " (" + g.firstMissingSegment() + " is missing)")));
        }
        WindowGap broken = w.brokenAfter();
        if (broken != null) {
            out.add(fail("WAL gap after the newest usable base backup: nothing after " + broken.from()
                    + " can be recovered until the next base backup (" + broken.firstMissingSegment() + " is missing)"));
        }
    }

    private static void units(HealthInput in, List<HealthReason> out) {
        if (in.failedUnits() != null) {
            for (FailedUnit u : in.failedUnits()) {
                out.add(fail("unit " + u.unit() + " has failed" + (u.description() == null ? "" : " (" + u.description() + ")")));
            }
        }
        if (in.timers() == null || in.expectedTimers() == null) {
            return;
        }
        for (String expected : in.expectedTimers()) {
            Optional<TimerStatus> timer = in.timers().stream().filter(x -> x.unit().equals(expected)).findFirst();
            if (timer.isEmpty()) {
                out.add(warn("timer " + expected + " is not installed"));
            } else if (timer.get().next() == null) {
                out.add(warn("timer " + expected + " is not scheduled to run again"));
            }
        }
    }

    private static void metrics(HealthInput in, List<HealthReason> out) {
        if (in.metrics() == null) {
            return;
        }
        for (Sample s : in.metrics().named("postgresql_health")) {
            if (in.instance().equals(s.label("instance")) && s.value() == 0) {
                out.add(fail("the host's health check reports " + in.instance() + " unhealthy (postgresql_health = 0)"));
            }
        }
    }

    /**
     * Amber, never red, when no drill ever succeeded or the last is older than the threshold: a missing drill says
     * nothing is known about the backups, not that they are broken (a fresh sandbox was never drilled).
     */
    private static void drills(HealthInput in, HealthThresholds t, List<HealthReason> out) {
        if (!in.drillsRead()) {
            return;
        }
        if (in.lastDrill() == null) {
            out.add(warn("no recovery drill has succeeded yet: nothing shows that the backups restore"
                    + " (pgdeck drill runs one into a scratch copy)"));
            return;
        }
        Duration age = Duration.between(in.lastDrill(), in.now());
        if (age.compareTo(t.drillAgeWarn()) > 0) {
            out.add(warn("the last successful recovery drill was " + words(age) + " ago, longer than "
                    + words(t.drillAgeWarn())));
        }
    }

    /** "3 h 20 min", "2 d 4 h", "45 s": short and readable in a status line. */
    static String words(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min";
        }
        if (s < 86400) {
            long m = (s % 3600) / 60;
            return s / 3600 + " h" + (m == 0 ? "" : " " + m + " min");
        }
        long h = (s % 86400) / 3600;
        return s / 86400 + " d" + (h == 0 ? "" : " " + h + " h");
    }

    private static HealthReason warn(String text) {
        return new HealthReason(HealthState.WARN, text);
    }

    private static HealthReason fail(String text) {
        return new HealthReason(HealthState.FAIL, text);
    }
}
