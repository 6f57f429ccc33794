package dev.pgdeck.remote.posthog;

import dev.pgdeck.remote.secret.SecretFile;
import java.io.IOException;
import java.nio.file.Path;

/** A PostHog personal API key. Its text leaves this class only as an Authorization header: never in toString or logs. */
public final class ApiKey {
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

    /** Reads the key from a file only its owner may read (as a host keeps it: mode 0400 or 0600). */
    public static ApiKey fromFile(Path file) throws IOException {
        return new ApiKey(SecretFile.read(file, "the API key file"));
    }

    String authorizationHeader() {
        return "Bearer " + secret;
    }

    @Override
    public String toString() {
        return "ApiKey[redacted]";
    }
}
