package dev.pgdeck.remote.restore;

import static dev.pgdeck.remote.testing.ArchivingCluster.freePort;
import static dev.pgdeck.remote.testing.ArchivingCluster.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.CommandResult;
import dev.pgdeck.model.ConfQuote;
import dev.pgdeck.model.backup.BaseBackup;
import dev.pgdeck.model.restore.PreflightCheck;
import dev.pgdeck.model.restore.RecoveryTarget;
import dev.pgdeck.model.restore.RestoreMode;
import dev.pgdeck.model.restore.RestorePlan;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.host.LocalShell;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.probe.HostActions;
import dev.pgdeck.remote.testing.ArchivingCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Values reaching a real PostgreSQL 15's configuration through {@link ConfQuote}: a corpus of hostile strings is
 * appended to postgresql.auto.conf with the profile's own command and read back with SHOW unchanged; a WAL archive
 * whose path closes the shell quoting of restore_command under the old quoting ({@code \047}) runs nothing in a real
 * drill; and a restore point name ending in a backslash is recovered to instead of breaking the file.
 */
class ConfQuoteServerTest {
    /** The attack, with a {@code %p} the server would otherwise replace; the marker lives under the root. */
    static final String ATTACK = "/x\\047;touch %s;\\047y%%p";
    static final String POINT = "before\\";
    static final List<String> HOSTILE = List.of("it's", "''", "\\", "ends with a backslash\\", "\\\\", "\\047",
            "/x\\047;touch /tmp/pgdeck-confquote-never;\\047y", "a\\'b", "line\nbreak", "tab\there", "cr\rlf",
            "\u0001\u001f\u007f7", "Zürich ☃ 𝄞", "%p %f %% %r", "$(touch /tmp/pgdeck-confquote-never)",
            "`touch /tmp/pgdeck-confquote-never`", "# not a comment", "x = 'y'\ninclude '/etc/passwd'");

    static ArchivingCluster pg;

    @BeforeAll
    static void buildHost() throws Exception {
        pg = ArchivingCluster.start("confquote");
        pg.sql().execute("CREATE TABLE t (id serial PRIMARY KEY, v text)");
        pg.sql().execute("INSERT INTO t (v) SELECT 'a' FROM generate_series(1, 10)");
        pg.switchAndWait();
        pg.baseBackup("20251011-120000", "-Xstream");
        pg.awaitBackupHistories(1, "backup history file");
        pg.sql().execute("INSERT INTO t (v) SELECT 'b' FROM generate_series(1, 10)");
        new HostActions(pg.shell(), HostProfile.builtIn("sandbox"), pg.values(), Clock.systemUTC())
                .createRestorePoint("main", pg.port(), POINT);
        new HostActions(pg.shell(), HostProfile.builtIn("sandbox"), pg.values(), Clock.systemUTC())
                .createRestorePoint("main", pg.port(), "plain");
        pg.sql().execute("INSERT INTO t (v) SELECT 'c' FROM generate_series(1, 10)");
        pg.switchAndWait();
    }

    @AfterAll
    static void stopHost() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void hostileValuesAreReadBackBySHOWUnchanged() throws Exception {
        ProfileRestoreCommands commands = new ProfileRestoreCommands(HostProfile.builtIn("sandbox"),
                HostProfile.builtIn("sandbox").values(pg.values(), "main", pg.port()));
        StringBuilder text = new StringBuilder("# ConfQuoteServerTest\n");
        for (int i = 0; i < HOSTILE.size(); i++) {
            text.append("pgdeck.v").append(i).append(" = ").append(ConfQuote.quote(HOSTILE.get(i))).append('\n');
        }
        text.append("pgdeck.last = 'written'\n");
        CommandResult r = pg.shell().run(commands.append(pg.dataDir() + "/postgresql.auto.conf", text.toString()),
                Duration.ofSeconds(10));
        assertTrue(r.succeeded(), r.describeFailure());
        pg.sql().execute("SELECT pg_reload_conf()");
        waitFor(() -> "written".equals(show("pgdeck.last")), "the reloaded configuration");
        for (int i = 0; i < HOSTILE.size(); i++) {
            assertEquals(HOSTILE.get(i), show("pgdeck.v" + i), "value " + i);
        }
        assertFalse(Files.exists(Path.of("/tmp/pgdeck-confquote-never")));
        // the file stays one the server reads: a restart (as a restore does) starts
        pg.sql().execute("SELECT 1");
    }

    @Test
    void aWalArchivePathThatClosedTheOldShellQuotingRunsNothing() throws Exception {
        Path marker = pg.root().resolve("pwned");
        Path hostile = Path.of(pg.root() + String.format(ATTACK, marker));
        Files.createDirectories(hostile);
        try (Stream<Path> files = Files.list(pg.archive())) {
            for (Path f : files.toList()) {
                Files.copy(f, hostile.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        Map<String, String> values = new HashMap<>(pg.values());
        values.put("walArchive", hostile.toString());

        RestoreReport report = drill(values, RecoveryTarget.name("plain"));

        assertFalse(Files.exists(marker), "restore_command ran the path's touch");
        assertTrue(report.succeeded(), report.account());
        assertTrue(report.reached(), report.progress().toString());
        assertEquals(List.of(List.of("a", "10"), List.of("b", "10")), report.verifyRows());
    }

    @Test
    void aRestorePointNameEndingInABackslashIsRecoveredTo() throws Exception {
        RestoreReport report = drill(pg.values(), RecoveryTarget.name(POINT));

        assertTrue(report.succeeded(), report.account());
        assertTrue(report.reached(), report.progress().toString());
        assertTrue(report.progress().stoppingLine().startsWith("recovery stopping at restore point \"" + POINT + "\""),
                report.progress().stoppingLine());
        assertEquals(List.of(List.of("a", "10"), List.of("b", "10")), report.verifyRows());
    }

    private static RestoreReport drill(Map<String, String> values, RecoveryTarget target) throws Exception {
        RestoreWorkflow w = new RestoreWorkflow(new LocalShell("test-host", new CommandLog()),
                HostProfile.builtIn("sandbox"), values, "main", pg.port(), Clock.systemUTC());
        InstanceRecovery state = w.read();
        assertEquals(Map.of(), state.errors());
        BaseBackup backup = w.chooseBackup(state, target, 1).orElseThrow(
                () -> new AssertionError(w.explain(state, target, 1).reason()));
        RestorePlan plan = w.plan(state, target, backup, 1, RestoreMode.DRILL, freePort(),
                "SELECT v, count(*) FROM t GROUP BY v ORDER BY v");
        List<PreflightCheck> checks = w.preflight(plan, state, true);
        assertFalse(RestorePreflight.anyFailed(checks), checks.toString());
        return w.execute(plan, e -> { }, new RestoreCancel(), RestoreExecutor.Options.DEFAULT);
    }

    private static String show(String name) {
        try {
            return pg.sql().queryOne("SHOW \"" + name + "\"", rs -> rs.getString(1));
        } catch (Exception e) {
            return null;
        }
    }
}
