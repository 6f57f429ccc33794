package dev.pgdeck.remote.ssh;

/**
 * A host key as the user is shown it: one found in no known_hosts file, before deciding to trust it (and, from
 * {@link SshShell#checkHostKey}, also one already trusted).
 *
 * @param keyType     e.g. {@code ssh-ed25519}
 * @param fingerprint OpenSSH format, {@code SHA256:} and unpadded base64, comparable with {@code ssh-keygen -lf}
 */
public record UnknownHostKey(String host, int port, String keyType, String fingerprint) {}
