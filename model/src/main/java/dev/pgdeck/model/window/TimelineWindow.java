package dev.pgdeck.model.window;

import java.time.Instant;
import java.util.List;

/**
 * What can be recovered to when recovering along {@code timeline} (recovery_target_timeline): from
 * {@code earliest} to {@code latest}, except inside {@code gaps}. {@code brokenAfter} is set when WAL exists past
 * the end of the window but cannot be reached (a gap after the newest usable backup).
 */
public record TimelineWindow(int timeline, Instant earliest, Instant latest, List<WindowGap> gaps,
                             List<CoveredRun> runs, WindowGap brokenAfter, List<String> notes) {
    public TimelineWindow {
        gaps = List.copyOf(gaps);
        runs = List.copyOf(runs);
        notes = List.copyOf(notes);
    }

    /** The latest time a time target can reach on this timeline (its last run's), null when none or unknown. */
    public Instant latestTimeTarget() {
        return runs.isEmpty() ? null : runs.get(runs.size() - 1).timeEdge().latest();
    }

    /** The newest segments of every run whose records are still to be read, newest first. */
    public List<String> unreadSegments() {
        return runs.stream().flatMap(r -> r.timeEdge().unread().stream()).toList();
    }

    /** Whether {@code t} can be used as recovery_target_time on this timeline. */
    public boolean covers(Instant t) {
        return runs.stream().anyMatch(r -> !t.isBefore(r.from()) && !t.isAfter(r.to()));
    }
}
