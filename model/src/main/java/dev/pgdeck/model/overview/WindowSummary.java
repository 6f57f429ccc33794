package dev.pgdeck.model.overview;

import dev.pgdeck.model.window.RecoverableWindows;
import dev.pgdeck.model.window.TimelineWindow;
import dev.pgdeck.model.window.WindowGap;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The recoverable window of the current timeline for the status contract: {@code earliest} to {@code latest} (the end
 * of the archived WAL: where "latest" recovers to), except inside {@code gaps}; {@code latestTimeTarget} is the last
 * commit in that WAL, the latest time a time target can reach (null when it is not known); {@code brokenAfter} when
 * WAL exists past {@code latest} but cannot be reached. Other timelines are listed in {@code otherTimelines}.
 */
public record WindowSummary(Integer timeline, OffsetDateTime earliest, OffsetDateTime latest,
                            OffsetDateTime latestTimeTarget, List<Gap> gaps, Gap brokenAfter,
                            List<WindowSummary> otherTimelines, List<String> notes) {
    /** No recovery to a time between {@code from} and {@code to} ({@code to} null: until the next backup). */
    public record Gap(OffsetDateTime from, OffsetDateTime to, String lastSegmentBefore, String firstMissingSegment) {
        static Gap of(WindowGap g) {
            return g == null ? null : new Gap(at(g.from()), at(g.to()), g.lastSegmentBefore(), g.firstMissingSegment());
        }
    }

    /** A window whose latest time target is not known. */
    public WindowSummary(Integer timeline, OffsetDateTime earliest, OffsetDateTime latest, List<Gap> gaps,
                         Gap brokenAfter, List<WindowSummary> otherTimelines, List<String> notes) {
        this(timeline, earliest, latest, null, gaps, brokenAfter, otherTimelines, notes);
    }

    public WindowSummary {
        gaps = List.copyOf(gaps);
        otherTimelines = otherTimelines == null ? null : List.copyOf(otherTimelines);
        notes = List.copyOf(notes);
    }

    public static WindowSummary of(RecoverableWindows windows) {
        List<WindowSummary> others = new ArrayList<>();
        for (TimelineWindow w : windows.timelines()) {
            if (w.timeline() != windows.currentTimeline()) {
                others.add(of(w, null, List.of()));
            }
        }
        return windows.current()
                .map(w -> of(w, others, concat(windows.notes(), w.notes())))
                .orElseGet(() -> new WindowSummary(windows.currentTimeline(), null, null, List.of(), null, others,
                        windows.notes().isEmpty() ? List.of("nothing is recoverable on timeline "
                                + windows.currentTimeline()) : windows.notes()));
    }

    private static WindowSummary of(TimelineWindow w, List<WindowSummary> others, List<String> notes) {
        return new WindowSummary(w.timeline(), at(w.earliest()), at(w.latest()), at(w.latestTimeTarget()),
                w.gaps().stream().map(Gap::of).toList(), Gap.of(w.brokenAfter()), others,
                others == null ? w.notes() : notes);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    static OffsetDateTime at(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }
}
