package dev.pgdeck.remote.hosts;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One host of the inventory. No secret is ever part of it: {@code keyFile} is the path of a private key (its
 * passphrase is asked when needed, never stored); null means ssh-agent.
 *
 * @param variables values that override the profile's (e.g. {@code version}, {@code resticRepo}, {@code pgBin})
 */
public record HostEntry(String name, String address, int port, String user, String keyFile, String profile,
                        Map<String, String> variables, List<InstanceEntry> instances) {
    /** An instance on the host: its name (as the profile uses it in paths and units) and port. */
    public record InstanceEntry(String name, int port) {
    }

    public HostEntry {
        variables = variables == null ? Map.of() : Map.copyOf(variables);
        instances = instances == null ? List.of() : List.copyOf(instances);
    }
}
