package dev.pgdeck.remote.ssh;

import java.nio.file.Path;

/** Asked for a private key's passphrase, only when the key turns out to be encrypted. */
@FunctionalInterface
public interface PassphraseSource {
    /** Never asks: for keys without a passphrase. */
    PassphraseSource NONE = keyFile -> null;

    /** Returns the passphrase for {@code keyFile}, or {@code null} if the user declines. */
    char[] passphraseFor(Path keyFile);
}
