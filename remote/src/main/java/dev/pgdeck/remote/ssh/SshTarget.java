package dev.pgdeck.remote.ssh;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where and as whom to connect. {@code knownHostsFile} is pgdeck's own file (the only one pgdeck writes to);
 * {@code userKnownHostsFiles} are read only, normally {@code ~/.ssh/known_hosts}. A null {@code keyFile} means the
 * login uses the keys of the user's ssh-agent.
 */
public record SshTarget(String name, String address, int port, String user, Path keyFile, Path knownHostsFile,
                        List<Path> userKnownHostsFiles) {
    public SshTarget {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(knownHostsFile, "knownHostsFile");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        userKnownHostsFiles = List.copyOf(userKnownHostsFiles);
    }

    /** A target that also trusts the user's {@code ~/.ssh/known_hosts}, as the ssh command line does. */
    public static SshTarget of(String name, String address, int port, String user, Path keyFile,
                               Path knownHostsFile) {
        Path userFile = Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
        return new SshTarget(name, address, port, user, keyFile, knownHostsFile, List.of(userFile));
    }
}
