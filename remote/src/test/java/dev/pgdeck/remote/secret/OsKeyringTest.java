package dev.pgdeck.remote.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.remote.testing.TestKeyring;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real Secret Service (GNOME Keyring on a private D-Bus session). */
class OsKeyringTest {
    @TempDir
    static Path dir;
    static TestKeyring service;

    @BeforeAll
    static void start() throws Exception {
        service = new TestKeyring(dir);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void storesLooksUpReplacesAndClears() throws Exception {
        OsKeyring keyring = service.keyring();
        Map<String, String> item = Map.of("service", "pgdeck-test", "name", "a; rm -rf / 'quoted' $(x)");
        assertEquals(Optional.empty(), keyring.lookup(item));
        keyring.store("pgdeck test", item, "s3cret with spaces; and 'quotes'");
        assertEquals(Optional.of("s3cret with spaces; and 'quotes'"), keyring.lookup(item));
        keyring.store("pgdeck test", item, "second");
        assertEquals(Optional.of("second"), keyring.lookup(item));
        assertEquals(Optional.empty(), keyring.lookup(Map.of("service", "pgdeck-test", "name", "other")));
        keyring.clear(item);
        assertEquals(Optional.empty(), keyring.lookup(item));
    }

    @Test
    void withoutASecretServiceTheMessageSaysWhatIsMissing() {
        OsKeyring nowhere = new OsKeyring(Map.of("DBUS_SESSION_BUS_ADDRESS", "unix:path=" + dir.resolve("no-bus"),
                "HOME", dir.toString()));
        SecretException e = assertThrows(SecretException.class, () -> nowhere.lookup(Map.of("service", "x")));
        assertTrue(e.getMessage().startsWith("Reading from the OS keyring failed"), e.getMessage());
    }
}
