package dev.pgdeck.model.overview;

import dev.pgdeck.model.wal.WalArchive;
import java.util.List;

/** The WAL archive as the status contract shows it: counts, the oldest and newest segment, and every gap. */
public record WalArchiveSummary(long segments, long bytes, String oldest, String newest, List<Gap> gaps,
                                List<String> timelineHistoryFiles, List<String> backupHistoryFiles,
                                List<String> otherFiles) {
    /** Every segment strictly between {@code after} and {@code before} is missing. */
    public record Gap(int timeline, String after, String before, long missingSegments) {
    }

    public WalArchiveSummary {
        gaps = List.copyOf(gaps);
        timelineHistoryFiles = List.copyOf(timelineHistoryFiles);
        backupHistoryFiles = List.copyOf(backupHistoryFiles);
        otherFiles = List.copyOf(otherFiles);
    }

    public static WalArchiveSummary of(WalArchive archive) {
        return new WalArchiveSummary(archive.segmentCount(), archive.bytes(), archive.oldest(), archive.newest(),
                archive.gaps().stream().map(g -> new Gap(g.timeline(), g.after(), g.before(), g.missingSegments()))
                        .toList(),
                archive.historyFiles(), archive.backupHistoryFiles(), archive.otherFiles());
    }
}
