package dev.pgdeck.remote.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.CommandResult;
import dev.pgdeck.model.HostCommand;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.host.HostShell;
import dev.pgdeck.remote.hosts.HostEntry;
import dev.pgdeck.remote.hosts.HostInventory;
import dev.pgdeck.remote.hosts.InventoryException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, finding 4: {@code "metricsDir": "-delete"} made a plain status run {@code find -delete -maxdepth 1 ...} in
 * the login user's home. The attack runs the real overview probe through a real shell whose working directory is a
 * temporary home with files in it; nothing may be deleted, whichever way the value arrives.
 */
class OptionLikeVariableTest {
    @TempDir
    Path home;

    /** A shell like the SSH login's: {@code sh -c} in the user's home. */
    private final class HomeShell implements HostShell {
        final List<String> ran = new ArrayList<>();

        @Override
        public String hostName() {
            return "forge";
        }

        @Override
        public CommandResult run(HostCommand command, Duration timeout) throws HostCommandException {
            ran.add(command.shellLine());
            Instant started = Instant.now();
            try {
                Process p = new ProcessBuilder("/bin/sh", "-c", command.shellLine()).directory(home.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    throw new HostCommandException("timed out");
                }
                return new CommandResult(command, p.exitValue(), out, "", Duration.between(started, Instant.now()));
            } catch (IOException e) {
                throw new HostCommandException(e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HostCommandException("interrupted");
            }
        }
    }

    private List<Path> homeFiles() throws IOException {
        Files.writeString(home.resolve("notes.txt"), "keep me");
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/authorized_keys"), "ssh-ed25519 AAAA keep");
        return List.of(home.resolve("notes.txt"), home.resolve(".ssh/authorized_keys"));
    }

    @Test
    void theInventoryRefusesItSoStatusNeverRunsIt() throws Exception {
        List<Path> files = homeFiles();
        Path inventory = home.resolve(".config/pgdeck/hosts.json");
        Files.createDirectories(inventory.getParent());
        Files.writeString(inventory, "{\"version\": 1, \"hosts\": [{\"name\": \"forge\", \"address\": \"127.0.0.1\","
                + " \"port\": 22, \"user\": \"ryan\", \"profile\": \"seed002\",\n"
                + " \"variables\": {\"metricsDir\": \"-delete\"}, \"instances\": [{\"name\": \"main\", \"port\": 5432}]}]}");

        InventoryException e = assertThrows(InventoryException.class, () -> HostInventory.load(inventory));

        assertTrue(e.getMessage().contains("line 2, column ") && e.getMessage().contains("variables.metricsDir"),
                e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        files.forEach(f -> assertTrue(Files.exists(f), f + " survives"));
    }

    @Test
    void aValueThatGetsPastTheInventoryStillNeverReachesACommand() throws Exception {
        List<Path> files = homeFiles();
        // built in code, not read from hosts.json: the profile's own check is the second wall
        HostEntry entry = new HostEntry("forge", "127.0.0.1", 22, "ryan", null, "seed002",
                Map.of("metricsDir", "-delete"), List.of(new HostEntry.InstanceEntry("main", 5432)));
        HomeShell shell = new HomeShell();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InventoryProbe.probe(entry, shell));

        assertEquals("host profile seed002: command metrics: {metricsDir} is \"-delete\", which the program would"
                + " read as an option; refused (set variables.metricsDir to an absolute path (starting with /))",
                e.getMessage());
        assertEquals(List.of(), shell.ran, "nothing ran");
        files.forEach(f -> assertTrue(Files.exists(f), f + " survives"));
    }

    @Test
    void aWellFormedHostStillProbesThroughTheSameShell() throws Exception {
        List<Path> files = homeFiles();
        Path metrics = Files.createDirectories(home.resolve("metrics"));
        Files.writeString(metrics.resolve("postgresql.prom"), "postgresql_health 1\n");
        HostEntry entry = new HostEntry("forge", "127.0.0.1", 22, "ryan", null, "seed002",
                Map.of("metricsDir", metrics.toString()), List.of(new HostEntry.InstanceEntry("main", 5432)));
        HomeShell shell = new HomeShell();

        InventoryProbe.probe(entry, shell);

        assertEquals(1, shell.ran.size(), "one batch ran");
        files.forEach(f -> assertTrue(Files.exists(f), f + " survives"));
    }
}
