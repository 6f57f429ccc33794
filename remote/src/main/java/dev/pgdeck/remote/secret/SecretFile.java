package dev.pgdeck.remote.secret;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * A secret kept in a file as on a host (agenix, systemd credentials): readable by its owner only. A file open to
 * group or others is refused rather than used. The secret itself never appears in a message.
 */
public final class SecretFile {
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private SecretFile() {}

    /** The file's text, stripped. {@code what} names it in messages, e.g. "the API key file". */
    public static String read(Path file, String what) throws IOException {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            Set<PosixFilePermission> open = EnumSet.copyOf(GROUP_OR_OTHERS);
            open.retainAll(permissions);
            if (!open.isEmpty()) {
                throw new IOException(what + " " + file + " is accessible by group or others (mode "
                        + PosixFilePermissions.toString(permissions) + "); make it private first: chmod 600 " + file);
            }
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system (Windows): its ACLs are the user's business.
        } catch (NoSuchFileException e) {
            throw new IOException(what + " " + file + " does not exist", e);
        }
        String text = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            throw new IOException(what + " " + file + " is empty");
        }
        return text;
    }
}
