package dev.pgdeck.remote.probe;

import dev.pgdeck.model.HostStatus;
import dev.pgdeck.model.InstanceStatus;
import dev.pgdeck.remote.host.HostShell;
import java.time.Instant;
import java.util.List;

/** The overview of a host: each of its instances, probed in turn over the host's one shell. */
public final class HostProbe {
    private HostProbe() {}

    public static HostStatus probe(HostShell shell, List<InstanceTarget> instances) {
        InstanceProbe probe = new InstanceProbe(shell);
        List<InstanceStatus> statuses = instances.stream().map(probe::probe).toList();
        return new HostStatus(shell.hostName(), true, null, Instant.now(), statuses);
    }
}
