package dev.pgdeck.remote.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.CommandResult;
import dev.pgdeck.model.HostCommand;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.host.LocalShell;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.pg.CurrentUser;
import dev.pgdeck.remote.testing.TempTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Debian profile's log following and scratch-configuration commands, run verbatim (through
 * {@code sudo -n -u postgres}) on this machine: an in-place restore reads the instance log
 * (/var/log/postgresql/postgresql-<version>-<cluster>.log, here a temp file) only from where it stood when recovery
 * started, all of it when it was rotated since; a drill's marker never pulls the instance log in; a scratch
 * configuration never writes through a link. Needs root and sudo (as CI has); elsewhere it is skipped.
 */
class DebianServerLogTest {
    private final CommandLog log = new CommandLog();
    private final LocalShell shell = new LocalShell("debian-test", log);
    private Path root;
    private Path dataDir;
    private Path instanceLog;
    private ProfileRestoreCommands commands;

    @BeforeEach
    void hostAsPostgres() throws Exception {
        Assumptions.assumeTrue(CurrentUser.isRoot(), "the Debian profile's commands run through sudo -u postgres:"
                + " this test needs root (CI runs as root)");
        // as root (CI) a missing sudo or postgres user is a failure, not a skip: .ci/run installs both
        CommandResult sudo = run(HostCommand.of("sudo", "-n", "-u", "postgres", "true"));
        assertTrue(sudo.succeeded(), "sudo -n -u postgres must work as root (apt-get install sudo postgresql-15): "
                + sudo.describeFailure());
        root = Files.createTempDirectory("pgdeck-debian-log-");
        dataDir = Files.createDirectories(root.resolve("var/lib/postgresql/15/main"));
        instanceLog = Files.createDirectories(root.resolve("var/log/postgresql")).resolve("postgresql-15-main.log");
        require(run(HostCommand.of("chown", "-R", "postgres:postgres", root.toString())));
        HostProfile debian = HostProfile.builtIn("debian");
        commands = new ProfileRestoreCommands(debian, debian.values(Map.of("dataDir", dataDir.toString(),
                "instanceLog", instanceLog.toString()), "main", 5432));
    }

    @AfterEach
    void removeTree() throws Exception {
        TempTrees.delete(root);
    }

    private CommandResult run(HostCommand c) throws HostCommandException {
        return shell.run(c, Duration.ofSeconds(30));
    }

    private static CommandResult require(CommandResult r) {
        assertTrue(r.succeeded(), r.describeFailure());
        return r;
    }

    private String serverLog(Path marker) throws HostCommandException {
        return require(run(commands.serverLog(dataDir.toString(), marker.toString()))).stdout();
    }

    @Test
    void inPlaceOnlyTheLinesWrittenAfterTheMarkerAreFollowedAndARotatedLogIsReadWhole() throws Exception {
        Files.writeString(instanceLog, "2025-10-11 12:00:00 UTC [100] LOG:  database system is shut down\n"
                + "2025-10-11 12:00:01 UTC [99] FATAL:  an older failure that is not this restore's\n");
        long before = Files.size(instanceLog);
        Path marker = dataDir.resolve("pgdeck-restore.started");

        require(run(commands.markRecoveryStart(marker.toString())));
        assertEquals(before + "\n", Files.readString(marker), "the marker holds the log's size");
        assertEquals("", serverLog(marker), "nothing written since the marker");

        Files.writeString(instanceLog, "2025-10-11 12:01:00 UTC [200] LOG:  starting archive recovery\n"
                + "2025-10-11 12:01:01 UTC [200] LOG:  restored log file \"000000010000000000000003\" from archive\n",
                StandardOpenOption.APPEND);
        assertEquals("2025-10-11 12:01:00 UTC [200] LOG:  starting archive recovery\n"
                + "2025-10-11 12:01:01 UTC [200] LOG:  restored log file \"000000010000000000000003\" from archive\n",
                serverLog(marker));

        // logrotate's copytruncate: the file starts again, shorter than the marker's offset: all of it is new
        Files.writeString(instanceLog, "2025-10-11 12:02:00 UTC [200] LOG:  redo done\n");
        assertEquals("2025-10-11 12:02:00 UTC [200] LOG:  redo done\n", serverLog(marker));
    }

    @Test
    void aLogThatDidNotExistWhenRecoveryStartedIsReadFromItsStart() throws Exception {
        Path marker = dataDir.resolve("pgdeck-restore.started");
        require(run(commands.markRecoveryStart(marker.toString())));
        assertEquals("0\n", Files.readString(marker));
        Files.writeString(instanceLog, "first line of a new log\n");
        require(run(HostCommand.of("chown", "postgres:postgres", instanceLog.toString())));
        assertEquals("first line of a new log\n", serverLog(marker));
    }

    @Test
    void aDrillsMarkerFollowsOnlyTheScratchServersOwnLogNeverTheInstanceLog() throws Exception {
        Files.writeString(instanceLog, "a line of the live instance, not of the drill\n");
        Path marker = dataDir.resolve("pgdeck-restore.started");
        require(run(commands.touch(marker.toString())));
        Path scratchLog = dataDir.resolve("pgdeck-server.log");
        Files.writeString(scratchLog, "the scratch server's line\n");
        // the scratch log is written after the marker: make that unambiguous for -nt
        Files.setLastModifiedTime(marker, FileTime.from(Instant.now().minusSeconds(10)));
        Files.setLastModifiedTime(scratchLog, FileTime.from(Instant.now()));

        assertEquals("the scratch server's line\n", serverLog(marker));
    }

    @Test
    void theScratchConfigurationReplacesALinkInTheCopyWithoutWritingThroughIt() throws Exception {
        Path production = root.resolve("etc/postgresql/15/main/postgresql.conf");
        Files.createDirectories(production.getParent());
        Files.writeString(production, "data_directory = '/var/lib/postgresql/15/main'\n");
        Path link = dataDir.resolve("postgresql.conf");
        Files.createSymbolicLink(link, production);
        require(run(HostCommand.of("chown", "-h", "postgres:postgres", link.toString())));

        require(run(commands.writeScratchConfig(link.toString(), "listen_addresses = ''\n")));

        assertEquals("data_directory = '/var/lib/postgresql/15/main'\n", Files.readString(production));
        assertFalse(Files.isSymbolicLink(link));
        assertEquals("listen_addresses = ''\n", Files.readString(link));
        assertEquals("postgres", Files.getOwner(link).getName(), "written as the server's user");
    }
}
