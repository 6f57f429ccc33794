package dev.pgdeck.model.zfs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which snapshots of a dataset also exist on its replication target. Syncoid keeps snapshot names, so the two
 * sides are matched by the name after '@' (the datasets themselves are named differently on the target).
 *
 * @param latestCommon the newest snapshot present on both sides: where the next incremental send starts; null if none
 */
public record ZfsReplication(List<ZfsSnapshot> onBoth, List<ZfsSnapshot> localOnly, List<ZfsSnapshot> targetOnly,
                             ZfsSnapshot latestCommon) {

    /** Compares one local dataset's snapshots with its target dataset's snapshots. */
    public static ZfsReplication compare(List<ZfsSnapshot> local, List<ZfsSnapshot> target) {
        Map<String, ZfsSnapshot> remote = new LinkedHashMap<>();
        for (ZfsSnapshot s : target) {
            remote.put(s.name(), s);
        }
        List<ZfsSnapshot> both = new ArrayList<>();
        List<ZfsSnapshot> localOnly = new ArrayList<>();
        for (ZfsSnapshot s : local) {
            if (remote.remove(s.name()) != null) {
                both.add(s);
            } else {
                localOnly.add(s);
            }
        }
        Comparator<ZfsSnapshot> byCreation = Comparator.comparing(ZfsSnapshot::creation).thenComparing(ZfsSnapshot::name);
        both.sort(byCreation);
        localOnly.sort(byCreation);
        List<ZfsSnapshot> targetOnly = new ArrayList<>(remote.values());
        targetOnly.sort(byCreation);
        return new ZfsReplication(List.copyOf(both), List.copyOf(localOnly), List.copyOf(targetOnly),
                both.isEmpty() ? null : both.get(both.size() - 1));
    }
}
