package dev.pgdeck.remote.ssh;

import dev.pgdeck.remote.ssh.HostKeyRejectedException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts.HostEntry;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts.KnownHostEntry;

/**
 * Checks host keys against the user's known_hosts files and pgdeck's own. It never prompts: {@link #verify} runs on
 * sshj's transport thread inside a key-exchange timeout, so it only records why it refused, and {@link SshShell}
 * asks the user afterwards on its own thread and reconnects.
 */
final class KnownHostsVerifier implements HostKeyVerifier {
    /** Why the last {@link #verify} call refused; {@code unknown} is set only for a key that may be trusted. */
    record Rejection(Reason reason, String message, UnknownHostKey unknown, String hostPart, PublicKey key) {}

    private final OpenSSHKnownHosts own;
    private final List<OpenSSHKnownHosts> all = new ArrayList<>();
    private volatile Rejection rejection;

    private KnownHostsVerifier(OpenSSHKnownHosts own, List<OpenSSHKnownHosts> others) {
        this.own = own;
        all.add(own);
        all.addAll(others);
    }

    /** Reads the files afresh, so that edits made since the last connection count. Missing files are empty. */
    static KnownHostsVerifier load(Path ownFile, List<Path> userFiles) throws IOException {
        List<OpenSSHKnownHosts> others = new ArrayList<>();
        for (Path file : userFiles) {
            others.add(new OpenSSHKnownHosts(file.toFile()));
        }
        return new KnownHostsVerifier(new OpenSSHKnownHosts(ownFile.toFile()), others);
    }

    @Override
    public boolean verify(String hostname, int port, PublicKey key) {
        rejection = null;
        KeyType type = KeyType.fromKey(key);
        String shown = hostname + (port == 22 ? "" : " port " + port);
        if (type == KeyType.UNKNOWN) {
            rejection = new Rejection(Reason.UNSUPPORTED, "host " + shown + " offered a host key of an unsupported type ("
                    + key.getAlgorithm() + ")", null, null, null);
            return false;
        }
        String hostPart = hostPart(hostname, port);
        String offered = fingerprint(key);
        List<String> known = new ArrayList<>();
        boolean revoked = false;
        for (OpenSSHKnownHosts file : all) {
            for (KnownHostEntry entry : file.entries()) {
                try {
                    if (!entry.appliesTo(type, hostPart)) {
                        continue;
                    }
                    if (entry.verify(key)) {
                        return true;
                    }
                } catch (IOException e) {
                    continue; // a line sshj cannot match (e.g. a bad hash) is not a match
                }
                String fingerprint = storedFingerprint(entry);
                revoked |= entry.getLine().startsWith("@revoked") && offered.equals(fingerprint);
                known.add(fingerprint + " in " + file.getFile());
            }
        }
        if (revoked) {
            rejection = new Rejection(Reason.REVOKED, "host key for " + shown + " (" + type + " " + offered
                    + ") is marked @revoked in known_hosts; refusing to connect", null, null, null);
        } else if (!known.isEmpty()) {
            rejection = new Rejection(Reason.CHANGED, "host key for " + shown + " has CHANGED: it offered " + type + " "
                    + offered + " but known_hosts has " + String.join(", ", known)
                    + ". This is a possible man-in-the-middle attack, or the host was reinstalled. Refusing to connect;"
                    + " if the change is expected, remove the old line from known_hosts.", null, null, null);
        } else {
            rejection = new Rejection(Reason.UNKNOWN_DECLINED, "host key for " + shown + " (" + type + " " + offered
                    + ") is not trusted", new UnknownHostKey(hostname, port, type.toString(), offered), hostPart, key);
        }
        return false;
    }

    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
        List<String> algorithms = new ArrayList<>();
        for (OpenSSHKnownHosts file : all) {
            algorithms.addAll(file.findExistingAlgorithms(hostname, port));
        }
        return algorithms;
    }

    Rejection rejection() {
        return rejection;
    }

    /** Appends the refused unknown key to pgdeck's own file, and trusts it from now on. */
    void remember(Rejection unknown) throws IOException {
        HostEntry entry = new HostEntry(null, unknown.hostPart(), KeyType.fromKey(unknown.key()), unknown.key());
        Path file = own.getFile().toPath().toAbsolutePath();
        Files.createDirectories(file.getParent());
        own.write(entry);
        own.entries().add(entry);
    }

    /** The host as OpenSSH writes it in known_hosts: {@code [host]:port} unless the port is 22. */
    static String hostPart(String hostname, int port) {
        String lower = hostname.toLowerCase(Locale.ROOT);
        return port == 22 ? lower : "[" + lower + "]:" + port;
    }

    /** OpenSSH's fingerprint format: {@code SHA256:} and the unpadded base64 of the SHA-256 of the key blob. */
    static String fingerprint(PublicKey key) {
        return sha256(new Buffer.PlainBuffer().putPublicKey(key).getCompactData());
    }

    /** sshj only offers an MD5 fingerprint of a stored entry, so the key blob is taken from its canonical line. */
    private static String storedFingerprint(KnownHostEntry entry) {
        String[] words = entry.getLine().trim().split("\\s+");
        int keyWord = words[0].startsWith("@") ? 3 : 2;
        try {
            return sha256(Base64.getDecoder().decode(words[keyWord]));
        } catch (RuntimeException e) {
            return entry.getFingerprint();
        }
    }

    private static String sha256(byte[] blob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
