package dev.pgdeck.model.wal;

import dev.pgdeck.model.Lines;
import dev.pgdeck.model.ParseException;

import java.util.ArrayList;
import java.util.List;

/**
 * A timeline history file ({@code 00000003.history}): one {@code <parent tli>\t<switch lsn>\t<reason>} line per
 * ancestor, oldest first. PostgreSQL skips blank and '#' lines, and writes a blank line between entries.
 */
public record TimelineHistory(int timeline, List<TimelineSwitch> switches) {
    public TimelineHistory {
        switches = List.copyOf(switches);
    }

    /** The implicit history of timeline 1, which has no file. */
    public static TimelineHistory first() {
        return new TimelineHistory(1, List.of());
    }

    public static TimelineHistory parse(int timeline, String text) throws ParseException {
        String source = WalFileName.timelineHistoryName(timeline);
        if (text == null || text.isBlank()) {
            throw new ParseException(source, "empty, expected at least one \"<parent timeline>\\t<LSN>\\t<reason>\" line");
        }
        List<TimelineSwitch> entries = new ArrayList<>();
        int lineNo = 0;
        for (String line : Lines.of(text)) {
            lineNo++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] fields = trimmed.split("\\s+", 3);
            Lsn lsn = fields.length >= 2 ? Lsn.tryParse(fields[1]) : null;
            int parent = fields.length >= 2 ? parsePositive(fields[0]) : -1;
            if (parent < 1 || lsn == null) {
                throw new ParseException(source, lineNo, line, "\"<parent timeline>\\t<LSN>\\t<reason>\"");
            }
            if (!entries.isEmpty()) {
                TimelineSwitch prev = entries.get(entries.size() - 1);
                if (parent <= prev.parentTimeline() || lsn.isBefore(prev.switchLsn())) {
                    throw new ParseException(source, lineNo, line, "timelines and switch points in increasing order");
                }
            }
            if (parent >= timeline) {
                throw new ParseException(source, lineNo, line, "a parent timeline below " + timeline);
            }
            entries.add(new TimelineSwitch(parent, lsn, fields.length == 3 ? fields[2] : ""));
        }
        return new TimelineHistory(timeline, entries);
    }

    private static int parsePositive(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The timeline that holds WAL position {@code lsn} on the way to this timeline. */
    public int timelineAt(Lsn lsn) {
        for (TimelineSwitch s : switches) {
            if (lsn.isBefore(s.switchLsn())) {
                return s.parentTimeline();
            }
        }
        return timeline;
    }

    /** Where this timeline branched off its parent, or null for timeline 1. */
    public Lsn branchPoint() {
        return switches.isEmpty() ? null : switches.get(switches.size() - 1).switchLsn();
    }

    public int parent() {
        return switches.isEmpty() ? 0 : switches.get(switches.size() - 1).parentTimeline();
    }

    /** Whether {@code other} is this timeline or one of its ancestors. */
    public boolean descendsFrom(int other) {
        return other == timeline || switches.stream().anyMatch(s -> s.parentTimeline() == other);
    }
}
