package dev.pgdeck.model;

import java.time.Instant;
import java.util.List;

/** The overview of one host: whether it answered, and its instances. */
public record HostStatus(String name, boolean reachable, String error, Instant checkedAt,
                         List<InstanceStatus> instances) {
    public HostStatus {
        instances = List.copyOf(instances);
    }
}
