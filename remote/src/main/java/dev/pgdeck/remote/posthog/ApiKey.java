package dev.pgdeck.remote.posthog;

import dev.pgdeck.remote.secret.OsKeyring;
import dev.pgdeck.remote.secret.SecretException;
import dev.pgdeck.remote.secret.SecretFile;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * A PostHog personal API key. Its text leaves this class only as an Authorization header: never in toString, logs or
 * messages. A key of the wrong shape (a second line, a control character, a space) is refused where it is read, with
 * where the problem is and never the text: sent on, it would end up in an HTTP library's "invalid header value" with
 * the whole header in it.
 */
public final class ApiKey {
    /** What a key is made of: PostHog's keys are {@code phx_} and letters and digits; RFC 6750 allows these too. */
    private static final String KEY_CHARACTERS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/=";
    static final int MAX_LENGTH = 512;

    private final String secret;

    private ApiKey(String secret) {
        this.secret = secret;
    }

    public static ApiKey of(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("the PostHog API key is empty");
        }
        String problem = problem(secret.strip(), "the PostHog API key");
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new ApiKey(secret.strip());
    }

    /** Reads the key from a file only its owner may read (as a host keeps it: mode 0400 or 0600). */
    public static ApiKey fromFile(Path file) throws IOException {
        String text = SecretFile.read(file, "the API key file");
        String problem = problem(text, "the API key file " + file);
        if (problem != null) {
            throw new IOException(problem);
        }
        return new ApiKey(text);
    }

    /**
     * What is wrong with a (stripped) key, in words that name a line count or a position and never a character of
     * the key; null when it has the shape of a key.
     */
    static String problem(String key, String what) {
        int lines = key.split("\\r\\n|\\r|\\n", -1).length;
        if (lines > 1) {
            return what + " has " + lines + " lines; a key is one line";
        }
        if (key.length() > MAX_LENGTH) {
            return what + " has " + key.length() + " characters; a key has at most " + MAX_LENGTH;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            String kind = Character.isISOControl(c) ? "a control character"
                    : Character.isWhitespace(c) || Character.isSpaceChar(c) ? "a space"
                    : KEY_CHARACTERS.indexOf(c) < 0 ? "a character that is not in API keys" : null;
            if (kind != null) {
                return what + " has " + kind + " at position " + (i + 1) + "; a key is letters, digits and _ - ."
                        + " only";
            }
        }
        return null;
    }

    /**
     * The key saved in the OS keyring for this PostHog and project ({@link #saveTo}); the message says how to save one
     * when there is none.
     */
    public static ApiKey fromKeyring(OsKeyring keyring, URI posthog, String projectId) throws SecretException {
        Map<String, String> attributes = keyringAttributes(posthog, projectId);
        java.util.Optional<String> found = keyring.lookup(attributes);
        if (found.isPresent()) {
            String problem = problem(found.get().strip(), "the PostHog key in the OS keyring");
            if (problem != null || found.get().isBlank()) {
                throw new SecretException(problem != null ? problem : "the PostHog key in the OS keyring is empty");
            }
        }
        return found.map(ApiKey::of).orElseThrow(() -> new SecretException(
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
