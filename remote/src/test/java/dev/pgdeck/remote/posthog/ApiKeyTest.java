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

    /** Issue 13: a second line or a control character reached the HTTP header, whose error quoted the key. */
    @Test
    void refusesAMalformedKeySayingWhereAndNeverEchoingIt() throws IOException {
        String[][] cases = {
            {"phx_secret_value\nsecond line\n", "has 2 lines; a key is one line"},
            {"phx_secret_value\r\nx\r\ny", "has 3 lines"},
            {"phx_secret_value\u0007tail", "has a control character at position 17"},
            {"phx_secret_value\u007f", "has a control character at position 17"},
            {"phx_secret value", "has a space at position 11"},
            {"phx_secret_välue", "has a character that is not in API keys at position 13"},
            {"phx_secret_value:", "has a character that is not in API keys at position 17"},
            {"phx_secret_value" + "x".repeat(600), "has 616 characters; a key has at most 512"},
        };
        for (String[] c : cases) {
            Path file = write(c[0], "rw-------");
            IOException e = assertThrows(IOException.class, () -> ApiKey.fromFile(file), c[0]);
            assertTrue(e.getMessage().startsWith("the API key file " + file + " ") && e.getMessage().contains(c[1]),
                    e.getMessage());
            assertFalse(e.getMessage().contains("secret"), e.getMessage());
            IllegalArgumentException typed = assertThrows(IllegalArgumentException.class, () -> ApiKey.of(c[0]));
            assertTrue(typed.getMessage().startsWith("the PostHog API key ") && typed.getMessage().contains(c[1]),
                    typed.getMessage());
            assertFalse(typed.getMessage().contains("secret"), typed.getMessage());
            Files.delete(file);
        }
        // Real keys, and keys of the shape RFC 6750 allows, are read as they are.
        for (String key : new String[] {"phx_2bVx9kQ0aZ7Yt1LmN3pR5sT8uW0xY2zA4cE6gI8kM", "k", "a-b.c~d+e/f=="}) {
            assertEquals("Bearer " + key, ApiKey.of(key + "\n").authorizationHeader());
        }
    }

    private Path write(String text, String mode) throws IOException {
        Path file = dir.resolve("key-" + mode);
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }
}
