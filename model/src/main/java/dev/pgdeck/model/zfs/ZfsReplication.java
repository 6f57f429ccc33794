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

    /**
     * Marks each of {@code local} replicated or not: syncoid {@code -r sourceRoot target:targetRoot} puts dataset
     * {@code sourceRoot/x} at {@code targetRoot/x}, with the same snapshot names. A local dataset outside
     * {@code sourceRoot} is not replicated by that job: its snapshots stay unmarked (null).
     */
    public static List<ZfsSnapshot> markReplicated(List<ZfsSnapshot> local, List<ZfsSnapshot> target,
                                                   String sourceRoot, String targetRoot) {
        String source = trimSlash(sourceRoot);
        String dest = trimSlash(targetRoot);
        Map<String, List<ZfsSnapshot>> targetByDataset = new LinkedHashMap<>();
        for (ZfsSnapshot s : target) {
            targetByDataset.computeIfAbsent(s.dataset(), d -> new ArrayList<>()).add(s);
        }
        Map<String, List<ZfsSnapshot>> localByDataset = new LinkedHashMap<>();
        for (ZfsSnapshot s : local) {
            localByDataset.computeIfAbsent(s.dataset(), d -> new ArrayList<>()).add(s);
        }
        Map<String, Boolean> onTarget = new java.util.HashMap<>();
        for (Map.Entry<String, List<ZfsSnapshot>> ds : localByDataset.entrySet()) {
            String mapped = mappedDataset(ds.getKey(), source, dest);
            if (mapped == null) {
                continue;
            }
            ZfsReplication r = compare(ds.getValue(), targetByDataset.getOrDefault(mapped, List.of()));
            r.onBoth().forEach(s -> onTarget.put(s.fullName(), true));
            r.localOnly().forEach(s -> onTarget.put(s.fullName(), false));
        }
        List<ZfsSnapshot> marked = new ArrayList<>(local.size());
        for (ZfsSnapshot s : local) {
            marked.add(s.withReplicated(onTarget.get(s.fullName())));
        }
        return marked;
    }

    /** Where syncoid puts {@code dataset} on the target, or null when it is outside {@code sourceRoot}. */
    static String mappedDataset(String dataset, String sourceRoot, String targetRoot) {
        if (dataset.equals(sourceRoot)) {
            return targetRoot;
        }
        return dataset.startsWith(sourceRoot + "/") ? targetRoot + dataset.substring(sourceRoot.length()) : null;
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

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
