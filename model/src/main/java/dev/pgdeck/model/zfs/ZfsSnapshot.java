package dev.pgdeck.model.zfs;

import java.time.Instant;
import java.util.Optional;

/**
 * A ZFS snapshot: {@code dataset@name}, with its creation time and space in bytes.
 *
 * @param replicated whether the snapshot also exists on the replication target (see {@link ZfsReplication}); null
 *                   when no target is configured or its listing could not be read
 */
public record ZfsSnapshot(String dataset, String name, Instant creation, long used, long refer, Boolean replicated) {
    public ZfsSnapshot(String dataset, String name, Instant creation, long used, long refer) {
        this(dataset, name, creation, used, refer, null);
    }

    public ZfsSnapshot withReplicated(Boolean onTarget) {
        return new ZfsSnapshot(dataset, name, creation, used, refer, onTarget);
    }

    public String fullName() {
        return dataset + "@" + name;
    }

    /**
     * The sanoid period (hourly, daily, ...) of a name like {@code autosnap_2025-10-11_12:00:01_hourly}, or empty
     * for snapshots sanoid did not take (manual or syncoid ones).
     */
    public Optional<String> sanoidPeriod() {
        if (!name.startsWith("autosnap_")) {
            return Optional.empty();
        }
        int last = name.lastIndexOf('_');
        return last > "autosnap_".length() ? Optional.of(name.substring(last + 1)) : Optional.empty();
    }
}
