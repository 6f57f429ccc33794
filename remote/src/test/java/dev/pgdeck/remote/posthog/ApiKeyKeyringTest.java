package dev.pgdeck.remote.posthog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.remote.secret.OsKeyring;
import dev.pgdeck.remote.secret.SecretException;
import dev.pgdeck.remote.testing.TestKeyring;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PostHog key in a real OS keyring (GNOME Keyring on a private D-Bus session). */
class ApiKeyKeyringTest {
    @Test
    void aKeySavedForAPostHogAndProjectIsFoundByThemOnly(@TempDir Path dir) throws Exception {
        try (TestKeyring service = new TestKeyring(dir)) {
            OsKeyring keyring = service.keyring();
            ApiKey.of("phx_from_keyring").saveTo(keyring, URI.create("https://eu.posthog.example/"), "42");
            ApiKey found = ApiKey.fromKeyring(keyring, URI.create("https://eu.posthog.example"), "42");
            assertEquals("Bearer phx_from_keyring", found.authorizationHeader());
            SecretException missing = assertThrows(SecretException.class,
                    () -> ApiKey.fromKeyring(keyring, URI.create("https://eu.posthog.example/"), "43"));
            assertTrue(missing.getMessage().contains("holds no PostHog key for https://eu.posthog.example/ project 43"),
                    missing.getMessage());
            assertTrue(missing.getMessage().contains("secret-tool store"), missing.getMessage());
            assertFalse(missing.getMessage().contains("phx_from_keyring"));
        }
    }
}
