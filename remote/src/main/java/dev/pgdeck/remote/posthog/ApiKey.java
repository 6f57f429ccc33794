package dev.pgdeck.remote.posthog;

import dev.pgdeck.remote.secret.OsKeyring;
import dev.pgdeck.remote.secret.SecretException;
import dev.pgdeck.remote.secret.SecretFile;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

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

    /**
     * The key saved in the OS keyring for this PostHog and project ({@link #saveTo}); the message says how to save one
     * when there is none.
     */
    public static ApiKey fromKeyring(OsKeyring keyring, URI posthog, String projectId) throws SecretException {
        Map<String, String> attributes = keyringAttributes(posthog, projectId);
        return keyring.lookup(attributes).map(ApiKey::of).orElseThrow(() -> new SecretException(
                "the OS keyring holds no PostHog key for " + posthog + " project " + projectId + "; save one from the"
                + " ingest wizard, or with: secret-tool store --label='pgdeck PostHog key' service pgdeck-posthog"
                + " url '" + attributes.get("url") + "' project '" + projectId + "'"));
    }

    /** Saves this key in the OS keyring, for this PostHog and project. */
    public void saveTo(OsKeyring keyring, URI posthog, String projectId) throws SecretException {
        keyring.store("pgdeck PostHog key (" + posthog.getHost() + ", project " + projectId + ")",
                keyringAttributes(posthog, projectId), secret);
    }

    private static Map<String, String> keyringAttributes(URI posthog, String projectId) {
        String url = posthog.toString();
        return Map.of("service", "pgdeck-posthog", "url", url.endsWith("/") ? url.substring(0, url.length() - 1) : url,
                "project", projectId);
    }

    String authorizationHeader() {
        return "Bearer " + secret;
    }

    @Override
    public String toString() {
        return "ApiKey[redacted]";
    }
}
