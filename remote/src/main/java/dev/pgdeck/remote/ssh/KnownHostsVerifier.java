package dev.pgdeck.remote.ssh;

import dev.pgdeck.remote.ssh.HostKeyRejectedException.Reason;
import dev.pgdeck.remote.ssh.KnownHostsLine.Marker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;

/**
 * Checks host keys against pgdeck's own known_hosts and the user's, with OpenSSH's rules rather than sshj's reading
 * of them. All lines of all files about the host are weighed together, so the order of files and lines never
 * matters: a key marked {@code @revoked} anywhere is refused even where another line trusts it; a key on a plain line
 * is trusted; a host with plain lines that offers any other key, of the same type or of another, has CHANGED; a host
 * known only by {@code @cert-authority} lines is unknown (pgdeck does not check host certificates, and a CA key is
 * never mistaken for the host's own); a host with no line at all is unknown.
 *
 * <p>It never prompts: {@link #verify} runs on sshj's transport thread inside a key-exchange timeout, so it only
 * records why it refused, and {@link SshShell} asks the user afterwards on its own thread and reconnects.
 */
final class KnownHostsVerifier implements HostKeyVerifier {
    /** Why the last {@link #verify} call refused; {@code unknown} is set only for a key that may be trusted. */
    record Rejection(Reason reason, String message, UnknownHostKey unknown, String hostPart, PublicKey key) {}

    private final Path own;
    private final List<KnownHostsLine> lines;
    private volatile Rejection rejection;
    private volatile UnknownHostKey accepted;

    private KnownHostsVerifier(Path own, List<KnownHostsLine> lines) {
        this.own = own;
        this.lines = lines;
    }

    /** Reads the files afresh, so that edits made since the last connection count. Missing files are empty. */
    static KnownHostsVerifier load(Path ownFile, List<Path> userFiles) throws IOException {
        List<KnownHostsLine> lines = new ArrayList<>(KnownHostsLine.read(ownFile));
        for (Path file : userFiles) {
            lines.addAll(KnownHostsLine.read(file));
        }
        return new KnownHostsVerifier(ownFile, lines);
    }

    @Override
    public boolean verify(String hostname, int port, PublicKey key) {
        rejection = null;
        KeyType type = KeyType.fromKey(key);
        String shown = hostname + (port == 22 ? "" : " port " + port);
        if (type == KeyType.UNKNOWN || type.toString().contains("-cert-")) {
            rejection = new Rejection(Reason.UNSUPPORTED, "host " + shown + " offered a host key of an unsupported type ("
                    + (type == KeyType.UNKNOWN ? key.getAlgorithm() : type) + ")", null, null, null);
            return false;
        }
        String hostPart = hostPart(hostname, port);
        byte[] offered = blob(key);
        String fingerprint = sha256(offered);
        List<KnownHostsLine> about = lines.stream().filter(l -> l.matches(hostPart)).toList();
        for (KnownHostsLine line : about) {
            if (line.marker() == Marker.REVOKED && line.hasKey(offered)) {
                rejection = new Rejection(Reason.REVOKED, "the host key of " + shown + " (" + type + " " + fingerprint
                        + ") is marked @revoked in " + line.where() + "; refusing to connect", null, null, null);
                return false;
            }
        }
        List<KnownHostsLine> plain = about.stream().filter(l -> l.marker() == Marker.NONE).toList();
        if (plain.stream().anyMatch(l -> l.hasKey(offered))) {
            accepted = new UnknownHostKey(hostname, port, type.toString(), fingerprint);
            return true;
        }
        if (!plain.isEmpty()) {
            List<String> known = plain.stream().map(l -> l.keyType() + " " + l.fingerprint() + " (" + l.where() + ")")
                    .toList();
            boolean sameType = plain.stream().anyMatch(l -> l.keyType().equals(type.toString()));
            rejection = new Rejection(Reason.CHANGED, "REMOTE HOST IDENTIFICATION HAS CHANGED for " + shown + ": it"
                    + " offered " + type + " " + fingerprint + (sameType ? "" : ", a key type known_hosts has no line"
                    + " for,") + " but known_hosts has " + String.join(", ", known) + ". Someone could be eavesdropping"
                    + " (a man-in-the-middle attack), or the host was reinstalled. Refusing to connect; if the change is"
                    + " expected, remove the old line and trust the new key.", null, null, null);
            return false;
        }
        String note = about.stream().filter(l -> l.marker() == Marker.CERT_AUTHORITY).findFirst()
                .map(l -> "; known_hosts names a certificate authority for it (@cert-authority, " + l.where()
                        + "), but pgdeck does not check host certificates and no line trusts the host's own key")
                .orElse("");
        rejection = new Rejection(Reason.UNKNOWN_DECLINED, "the host key of " + shown + " (" + type + " " + fingerprint
                + ") is not trusted yet" + note, new UnknownHostKey(hostname, port, type.toString(), fingerprint),
                hostPart, key);
        return false;
    }

    /**
     * The key types known for the host, so that sshj asks the server for one of those first (an RSA line covers the
     * rsa-sha2 signatures too); without this a host known by its RSA key could offer its ED25519 key and look changed.
     */
    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
        String hostPart = hostPart(hostname, port);
        Set<String> algorithms = new LinkedHashSet<>();
        for (KnownHostsLine line : lines) {
            if (line.marker() == Marker.NONE && line.matches(hostPart)) {
                if (line.keyType().equals(KeyType.RSA.toString())) {
                    algorithms.add("rsa-sha2-512");
                    algorithms.add("rsa-sha2-256");
                }
                algorithms.add(line.keyType());
            }
        }
        return List.copyOf(algorithms);
    }

    Rejection rejection() {
        return rejection;
    }

    /** The key the last successful {@link #verify} trusted. */
    UnknownHostKey accepted() {
        return accepted;
    }

    /** Appends the refused unknown key to pgdeck's own file, and trusts it from now on. */
    void remember(Rejection unknown) throws IOException {
        Path file = own.toAbsolutePath();
        Files.createDirectories(file.getParent());
        byte[] blob = blob(unknown.key());
        String text = unknown.hostPart() + " " + KeyType.fromKey(unknown.key()) + " "
                + Base64.getEncoder().encodeToString(blob) + "\n";
        if (Files.exists(file) && Files.size(file) > 0 && !Files.readString(file).endsWith("\n")) {
            text = "\n" + text;
        }
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        List<KnownHostsLine> added = KnownHostsLine.read(own);
        lines.removeIf(l -> l.file().equals(own));
        lines.addAll(0, added);
    }

    /** The host as OpenSSH writes it in known_hosts: {@code [host]:port} unless the port is 22. */
    static String hostPart(String hostname, int port) {
        String lower = hostname.toLowerCase(Locale.ROOT);
        return port == 22 ? lower : "[" + lower + "]:" + port;
    }

    /** OpenSSH's fingerprint format: {@code SHA256:} and the unpadded base64 of the SHA-256 of the key blob. */
    static String fingerprint(PublicKey key) {
        return sha256(blob(key));
    }

    private static byte[] blob(PublicKey key) {
        return new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
    }

    static String sha256(byte[] blob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
