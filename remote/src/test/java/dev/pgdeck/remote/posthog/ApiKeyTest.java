package dev.pgdeck.remote.posthog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeyTest {
    @TempDir
    Path dir;

    @Test
    void readsAPrivateKeyFileAndNeverShowsTheKey() throws IOException {
        Path file = write("phx_secret_value\n", "rw-------");
        ApiKey key = ApiKey.fromFile(file);
        assertEquals("Bearer phx_secret_value", key.authorizationHeader());
        assertFalse(key.toString().contains("phx_secret_value"));
    }

    @Test
    void refusesAKeyFileThatGroupOrOthersCanRead() throws IOException {
        for (String mode : new String[] {"rw-r--r--", "rw-r-----", "r-----r--"}) {
            Path file = write("phx_secret_value", mode);
            IOException e = assertThrows(IOException.class, () -> ApiKey.fromFile(file));
            assertTrue(e.getMessage().contains("accessible by group or others"), e.getMessage());
            assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
            assertFalse(e.getMessage().contains("phx_secret_value"));
            Files.delete(file);
        }
    }

    @Test
    void refusesAnEmptyOrMissingKeyFile() throws IOException {
        Path empty = write("  \n", "r--------");
        assertTrue(assertThrows(IOException.class, () -> ApiKey.fromFile(empty)).getMessage().contains("is empty"));
        assertTrue(assertThrows(IOException.class, () -> ApiKey.fromFile(dir.resolve("nope"))).getMessage()
                .contains("does not exist"));
    }

    private Path write(String text, String mode) throws IOException {
        Path file = dir.resolve("key-" + mode);
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }
}
