package dev.pgdeck.model.restic;

import java.time.OffsetDateTime;
import java.util.List;

/** One entry of {@code restic snapshots --json}. {@code parent} is null for a first snapshot. */
public record ResticSnapshot(String id, String shortId, OffsetDateTime time, String hostname, String username,
                             List<String> paths, List<String> tags, String tree, String parent) {
    public ResticSnapshot {
        paths = List.copyOf(paths);
        tags = List.copyOf(tags);
    }

    public boolean hasTags(List<String> wanted) {
        return tags.containsAll(wanted);
    }
}
