package dev.pgdeck.remote.ssh;

/**
 * A host key found in no known_hosts file: what the user is shown before deciding to trust it.
 *
 * @param keyType     e.g. {@code ssh-ed25519}
 * @param fingerprint OpenSSH format, {@code SHA256:} and unpadded base64, comparable with {@code ssh-keygen -lf}
 */
public record UnknownHostKey(String host, int port, String keyType, String fingerprint) {}
