package dev.pgdeck.model.window;

import java.util.List;
import java.util.Optional;

/** The recoverable window of every timeline, and which timeline the server is on now. */
public record RecoverableWindows(int currentTimeline, List<TimelineWindow> timelines, List<String> notes) {
    public RecoverableWindows {
        timelines = List.copyOf(timelines);
        notes = List.copyOf(notes);
    }

    public Optional<TimelineWindow> timeline(int timeline) {
        return timelines.stream().filter(w -> w.timeline() == timeline).findFirst();
    }

    /** The segments whose records every timeline's time edge still needs, each once, newest first per run. */
    public List<String> unreadSegments() {
        return timelines.stream().flatMap(w -> w.unreadSegments().stream()).distinct().toList();
    }

    /** The window of the current timeline: what a recovery with the default target timeline can reach. */
    public Optional<TimelineWindow> current() {
        return timeline(currentTimeline);
    }
}
