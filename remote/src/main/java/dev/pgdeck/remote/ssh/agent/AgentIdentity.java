package dev.pgdeck.remote.ssh.agent;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;

/**
 * A key the agent holds: its public key, the key blob exactly as the agent sent it (sign requests must send it back
 * byte for byte) and the agent's comment (usually the key file or {@code user@host}). Public data only: the agent never
 * reveals a private key.
 *
 * @param type the SSH key type named inside the blob, e.g. {@code ssh-ed25519} or {@code ssh-rsa}
 */
public record AgentIdentity(String type, PublicKey publicKey, byte[] keyBlob, String comment) {
    public AgentIdentity {
        keyBlob = keyBlob.clone();
    }

    @Override
    public byte[] keyBlob() {
        return keyBlob.clone();
    }

    /** The fingerprint as {@code ssh-keygen -l} and {@code ssh-add -l} print it: {@code SHA256:}, unpadded base64. */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(keyBlob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** How messages name the key: type, fingerprint and comment, as {@code ssh-add -l} lists it. */
    public String describe() {
        return type + " " + fingerprint() + (comment.isBlank() ? "" : " (" + comment + ")");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AgentIdentity that && Arrays.equals(keyBlob, that.keyBlob)
                && comment.equals(that.comment);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(keyBlob) * 31 + comment.hashCode();
    }

    @Override
    public String toString() {
        return describe();
    }
}
