package dev.pgdeck.remote.ssh;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where and as whom to connect. {@code knownHostsFile} is pgdeck's own file (the only one pgdeck writes to);
 * {@code userKnownHostsFiles} are read only, normally {@code ~/.ssh/known_hosts}. A null {@code keyFile} means the
 * login uses the keys of the user's ssh-agent. A non-null {@code jump} is the host the connection goes through (its
 * own connection, whose direct-tcpip channel to {@code address:port} carries this one), as OpenSSH's ProxyJump.
 */
public record SshTarget(String name, String address, int port, String user, Path keyFile, Path knownHostsFile,
                        List<Path> userKnownHostsFiles, SshTarget jump) {
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

    /** A target reached directly. */
    public SshTarget(String name, String address, int port, String user, Path keyFile, Path knownHostsFile,
                     List<Path> userKnownHostsFiles) {
        this(name, address, port, user, keyFile, knownHostsFile, userKnownHostsFiles, null);
    }

    /** This target reached through {@code through}. */
    public SshTarget via(SshTarget through) {
        return new SshTarget(name, address, port, user, keyFile, knownHostsFile, userKnownHostsFiles, through);
    }

    /** A target that also trusts the user's {@code ~/.ssh/known_hosts}, as the ssh command line does. */
    public static SshTarget of(String name, String address, int port, String user, Path keyFile,
                               Path knownHostsFile) {
        Path userFile = Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
        return new SshTarget(name, address, port, user, keyFile, knownHostsFile, List.of(userFile));
    }
}
