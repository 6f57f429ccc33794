package dev.pgdeck.remote.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.CommandResult;
import dev.pgdeck.model.HostCommand;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.host.LocalShell;
import dev.pgdeck.remote.hosts.HostProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The restore's file commands, built from the sandbox profile, run by a real sh with a hostile instance name. */
class HostileNameTest {
    private static final String HOSTILE = "x'; touch PWNED; echo \"$(touch PWNED2)\" #";

    @Test
    void aHostileInstanceNameReachesTheShellAsALiteral() throws Exception {
        Path root = Files.createTempDirectory("pgdeck-hostile-");
        Files.createDirectories(root.resolve("var/lib/postgresql/15"));
        HostProfile profile = HostProfile.builtIn("sandbox");
        Map<String, String> values = profile.values(Map.of("root", root.toString(), "version", "15"), HOSTILE, 5432);
        ProfileRestoreCommands commands = new ProfileRestoreCommands(profile, values);
        LocalShell shell = new LocalShell("test", new CommandLog());
        String dataDir = values.get("dataDir");
        assertEquals(root + "/var/lib/postgresql/15/" + HOSTILE, dataDir);
        String aside = dataDir + ".pre-restore-20251011-143502";
        String settings = "recovery_target_name = 'it''s $(touch PWNED3)'\n";

        run(shell, commands.makeDataDir(dataDir));
        run(shell, commands.append(dataDir + "/postgresql.auto.conf", settings));
        run(shell, commands.touch(dataDir + "/recovery.signal"));
        run(shell, commands.moveAside(dataDir, aside));
        CommandResult again = shell.run(commands.moveAside(aside, aside), Duration.ofSeconds(10));
        assertFalse(again.succeeded(), "moving onto an existing directory is refused, nothing overwritten");

        assertTrue(Files.isDirectory(Path.of(aside)));
        assertFalse(Files.exists(Path.of(dataDir)));
        assertEquals(settings, Files.readString(Path.of(aside, "postgresql.auto.conf")));
        assertTrue(Files.exists(Path.of(aside, "recovery.signal")));
        run(shell, commands.removeScratch(aside));
        assertFalse(Files.exists(Path.of(aside)));
        try (Stream<Path> all = Files.walk(root)) {
            assertEquals(0, all.filter(p -> p.getFileName().toString().startsWith("PWNED")).count());
        }
        for (String f : new String[] {"PWNED", "PWNED2", "PWNED3"}) {
            assertFalse(Files.exists(Path.of(f)), f + " in the working directory");
        }
    }

    private static void run(LocalShell shell, HostCommand command) throws Exception {
        CommandResult r = shell.run(command, Duration.ofSeconds(10));
        assertTrue(r.succeeded(), r.describeFailure());
    }
}
