package dev.pgdeck.remote.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One key line of a known_hosts file, read as OpenSSH reads it (sshd(8), "SSH_KNOWN_HOSTS FILE FORMAT"): an optional
 * marker ({@code @revoked} or {@code @cert-authority}), host patterns (a comma-separated list with {@code *} and
 * {@code ?} wildcards and {@code !} negation, or one hashed name {@code |1|salt|hash}), the key type and the base64
 * key blob; a comment may follow. Lines OpenSSH would skip (blank, {@code #}, malformed) are skipped here too.
 *
 * @param number the line number in {@code file}, from 1, for messages
 */
record KnownHostsLine(Path file, int number, Marker marker, String hosts, String keyType, byte[] blob) {
    enum Marker { NONE, REVOKED, CERT_AUTHORITY }

    /** The lines of {@code file}; a missing file has none. */
    static List<KnownHostsLine> read(Path file) throws IOException {
        List<String> text;
        try {
            text = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<KnownHostsLine> lines = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            KnownHostsLine line = parse(file, i + 1, text.get(i));
            if (line != null) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** The line, or null for a line OpenSSH skips. */
    static KnownHostsLine parse(Path file, int number, String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
            return null;
        }
        String[] words = trimmed.split("\\s+");
        int at = 0;
        Marker marker = Marker.NONE;
        if (words[0].startsWith("@")) {
            switch (words[0].toLowerCase(Locale.ROOT)) {
                case "@revoked" -> marker = Marker.REVOKED;
                case "@cert-authority" -> marker = Marker.CERT_AUTHORITY;
                default -> {
                    return null; // an unknown marker: OpenSSH ignores the line
                }
            }
            at = 1;
        }
        if (words.length < at + 3) {
            return null;
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(words[at + 2]);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return new KnownHostsLine(file, number, marker, words[at], words[at + 1], blob);
    }

    /**
     * Whether the line is about {@code hostPart} ({@code host}, or {@code [host]:port} for a port other than 22, as
     * {@link KnownHostsVerifier#hostPart} writes it). A negated pattern that matches rules the line out.
     */
    boolean matches(String hostPart) {
        String host = hostPart.toLowerCase(Locale.ROOT);
        if (hosts.startsWith("|1|")) {
            return hashedNameMatches(hosts, host);
        }
        boolean matched = false;
        for (String pattern : hosts.toLowerCase(Locale.ROOT).split(",")) {
            boolean negated = pattern.startsWith("!");
            if (glob(negated ? pattern.substring(1) : pattern, host)) {
                if (negated) {
                    return false;
                }
                matched = true;
            }
        }
        return matched;
    }

    /** Whether the line's key is exactly {@code offered} (the SSH wire encoding of a public key). */
    boolean hasKey(byte[] offered) {
        return MessageDigest.isEqual(blob, offered);
    }

    /** OpenSSH's fingerprint of the line's key: {@code SHA256:} and unpadded base64. */
    String fingerprint() {
        return KnownHostsVerifier.sha256(blob);
    }

    /** {@code /home/u/.ssh/known_hosts line 7}. */
    String where() {
        return file + " line " + number;
    }

    /** {@code |1|base64(salt)|base64(HMAC-SHA1(salt, hostPart))}, as {@code ssh-keygen -H} writes. */
    private static boolean hashedNameMatches(String hashed, String hostPart) {
        String[] parts = hashed.split("\\|");
        if (parts.length != 4) {
            return false;
        }
        try {
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(salt, "HmacSHA1"));
            return MessageDigest.isEqual(expected, mac.doFinal(hostPart.getBytes(StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false; // not base64, or an empty salt: not a match, as in OpenSSH
        }
    }

    /** OpenSSH's match_pattern: {@code *} any run of characters, {@code ?} exactly one. */
    static boolean glob(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int mark = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
