package dev.pgdeck.remote.posthog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/** A PostHog personal API key. Its text leaves this class only as an Authorization header: never in toString or logs. */
public final class ApiKey {
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final String secret;

    private ApiKey(String secret) {
        this.secret = secret;
    }

    public static ApiKey of(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("the PostHog API key is empty");
        }
        return new ApiKey(secret.strip());
    }

    /**
     * Reads the key from a file that only its owner may read (as a host keeps it: mode 0400 or 0600, owned by the
     * service user). A file open to group or others is refused rather than used.
     */
    public static ApiKey fromFile(Path file) throws IOException {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            Set<PosixFilePermission> open = EnumSet.copyOf(GROUP_OR_OTHERS);
            open.retainAll(permissions);
            if (!open.isEmpty()) {
                throw new IOException("the API key file " + file + " is accessible by group or others (mode "
                        + PosixFilePermissions.toString(permissions) + "); make it private first: chmod 600 " + file);
            }
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system (Windows): its ACLs are the user's business.
        } catch (NoSuchFileException e) {
            throw new IOException("the API key file " + file + " does not exist", e);
        }
        String text = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            throw new IOException("the API key file " + file + " is empty");
        }
        return new ApiKey(text);
    }

    String authorizationHeader() {
        return "Bearer " + secret;
    }

    @Override
    public String toString() {
        return "ApiKey[redacted]";
    }
}
