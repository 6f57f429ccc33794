package dev.pgdeck.remote.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.HostCommand;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.host.LocalShell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TailFiles} on the output of the real {@code find ... -exec tail -v ... {} +}, as the profiles run it. */
class TailFilesTest {
    @TempDir
    Path dir;

    private String run(String... words) throws Exception {
        var r = new LocalShell("test", new CommandLog()).run(HostCommand.of(java.util.List.of(words)), Duration.ofSeconds(10));
        assertTrue(r.succeeded(), r.describeFailure());
        return r.stdout();
    }

    @Test
    void wholeFilesWithAndWithoutFinalNewlineAndAFakeHeaderInside() throws Exception {
        Files.writeString(dir.resolve("000000010000000000000002.00000028.backup"), "START WAL LOCATION: 0/2000028\n");
        Files.writeString(dir.resolve("00000002.history"), "1\t0/3000000\tno recovery target specified");
        Files.writeString(dir.resolve("000000010000000000000009.00000028.backup"), "==> fake.txt <==\nLABEL: x\n");
        Files.writeString(dir.resolve("000000010000000000000001"), "segment");
        String out = run("find", dir.toString(), "-maxdepth", "1", "-type", "f", "(", "-name", "*.backup", "-o",
                "-name", "*.history", ")", "-exec", "tail", "-v", "-n", "+1", "{}", "+");

        Map<String, String> files = new LinkedHashMap<>(TailFiles.split(out,
                p -> p.endsWith(".backup") || p.endsWith(".history"), TailFiles::fileName));

        assertEquals(Map.of("000000010000000000000002.00000028.backup", "START WAL LOCATION: 0/2000028\n",
                "00000002.history", "1\t0/3000000\tno recovery target specified",
                "000000010000000000000009.00000028.backup", "==> fake.txt <==\nLABEL: x\n"), files);
    }

    @Test
    void manifestTailsAreKeyedByBackupDirectory() throws Exception {
        for (String label : new String[] {"20251011-120000", "20251012-120000"}) {
            Files.createDirectories(dir.resolve(label));
            Files.writeString(dir.resolve(label + "/backup_manifest"), "x".repeat(10_000) + "\n\"WAL-Ranges\": ["
                    + label + "]}\n");
        }
        String out = run("find", dir.toString(), "-mindepth", "2", "-maxdepth", "2", "-type", "f", "-name",
                "backup_manifest", "-exec", "tail", "-v", "-c", "4096", "{}", "+");

        Map<String, String> files = TailFiles.split(out, p -> p.endsWith("/backup_manifest"), TailFiles::lastTwo);

        assertEquals(2, files.size(), files.keySet().toString());
        for (String label : new String[] {"20251011-120000", "20251012-120000"}) {
            String tail = files.get(label + "/backup_manifest");
            assertEquals(4096, tail.length());
            assertTrue(tail.endsWith("\"WAL-Ranges\": [" + label + "]}\n"), tail);
        }
    }

    @Test
    void emptyAndGarbageOutputGiveNoFiles() {
        assertEquals(Map.of(), TailFiles.split("", p -> true, TailFiles::fileName));
        assertEquals(Map.of(), TailFiles.split("garbage\n<== ==>\n==>  <==", p -> p.endsWith(".backup"),
                TailFiles::fileName));
        assertEquals(Map.of("a.backup", ""), TailFiles.split("==> /x/a.backup <==\n", p -> p.endsWith(".backup"),
                TailFiles::fileName));
    }
}
