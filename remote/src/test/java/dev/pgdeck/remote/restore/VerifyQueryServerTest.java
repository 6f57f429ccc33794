package dev.pgdeck.remote.restore;

import static dev.pgdeck.remote.testing.ArchivingCluster.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.CommandResult;
import dev.pgdeck.model.HostCommand;
import dev.pgdeck.model.backup.BaseBackup;
import dev.pgdeck.model.restore.PreflightCheck;
import dev.pgdeck.model.restore.RecoveryTarget;
import dev.pgdeck.model.restore.RestoreMode;
import dev.pgdeck.model.restore.RestorePlan;
import dev.pgdeck.model.restore.RestoreStep;
import dev.pgdeck.model.restore.VerifyQuery;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.host.LocalShell;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.testing.ArchivingCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The verification query against a real PostgreSQL 15, through the sandbox profile's own command: it runs in the
 * database the operator picks (by default the largest), read-only, and a psql backslash command in it runs nothing.
 */
class VerifyQueryServerTest {
    static final String EVENTS = "select count(*) from web_analytics.posthog_events";
    static ArchivingCluster pg;
    static ProfileRestoreCommands commands;

    @BeforeAll
    static void buildHost() throws Exception {
        pg = ArchivingCluster.start("verify");
        pg.sql().execute("CREATE DATABASE analytics");
        psql("analytics", "CREATE SCHEMA web_analytics; CREATE TABLE web_analytics.posthog_events (id serial,"
                + " payload text); INSERT INTO web_analytics.posthog_events (payload) SELECT repeat('x', 500) FROM"
                + " generate_series(1, 5000)");
        pg.switchAndWait();
        pg.baseBackup("20251011-120000", "-Xstream");
        pg.awaitBackupHistories(1, "backup history file");
        pg.switchAndWait();
        HostProfile profile = HostProfile.builtIn("sandbox");
        commands = new ProfileRestoreCommands(profile, profile.values(pg.values(), "main", pg.port()));
    }

    @AfterAll
    static void stopHost() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    private static void psql(String database, String sql) throws Exception {
        CommandResult r = pg.shell().run(HostCommand.of(pg.binaries().tool("psql").toString(), "-X", "-q",
                "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", Integer.toString(pg.port()), "-U", "postgres",
                "-d", database, "-c", sql), Duration.ofSeconds(30));
        assertTrue(r.succeeded(), r.describeFailure());
    }

    /** The command the Verify step runs, on the live test server. */
    private static CommandResult verify(String database, String sql) throws Exception {
        return pg.shell().run(commands.verifyQuery(pg.port(), VerifyQuery.psqlDatabase(database),
                VerifyQuery.statement(sql)), Duration.ofSeconds(30));
    }

    @Test
    void aDrillVerifiesInTheLargestDatabaseByDefaultAndShowsItsRows() throws Exception {
        RestoreWorkflow w = new RestoreWorkflow(new LocalShell("test-host", new CommandLog()),
                HostProfile.builtIn("sandbox"), pg.values(), "main", pg.port(), Clock.systemUTC());
        assertEquals("analytics", w.databases().get(0));
        assertTrue(w.databases().contains("postgres") && !w.databases().contains("template1"), w.databases()
                .toString());
        InstanceRecovery state = w.read();
        RecoveryTarget target = RecoveryTarget.latest();
        BaseBackup backup = w.chooseBackup(state, target, 1).orElseThrow();
        RestorePlan plan = w.plan(state, target, backup, 1, RestoreMode.DRILL, freePort(), EVENTS + ";", null,
                false);
        RestoreStep step = plan.steps().stream().filter(s -> s.name().equals("Verify")).findFirst().orElseThrow();
        assertTrue(step.explanation().contains("in database analytics, read-only"), step.explanation());
        List<PreflightCheck> checks = w.preflight(plan, state, false);
        assertFalse(RestorePreflight.anyFailed(checks), checks.toString());

        RestoreReport report = w.execute(plan, e -> { }, new RestoreCancel(), RestoreExecutor.Options.DEFAULT);

        assertTrue(report.succeeded(), report.account());
        assertEquals(List.of(List.of("5000")), report.verifyRows());
    }

    @Test
    void theChosenDatabaseIsWhereTheQueryRuns() throws Exception {
        CommandResult in = verify("analytics", EVENTS);
        assertTrue(in.succeeded(), in.describeFailure());
        assertEquals("5000", in.stdout().strip());
        CommandResult postgres = verify("postgres", EVENTS);
        assertFalse(postgres.succeeded());
        assertTrue(postgres.stderr().contains("relation \"web_analytics.posthog_events\" does not exist"),
                postgres.stderr());
        // a name is never read as connection options
        CommandResult odd = verify("analytics host=192.0.2.1", "select 1");
        assertTrue(odd.stderr().contains("database \"analytics host=192.0.2.1\" does not exist"), odd.stderr());
    }

    @Test
    void aPsqlBackslashCommandRunsNothing() throws Exception {
        Path marker = pg.root().resolve("verify-pwned");
        for (String sql : List.of("\\! id > " + marker, "\\! id > " + marker + "\n", "select 1 \\! id > " + marker,
                "select 1 \\g | id > " + marker, " \\! id > " + marker)) {
            CommandResult r = verify("postgres", sql);
            assertFalse(r.succeeded(), sql + ": " + r.stdout());
            assertTrue(r.stderr().contains("syntax error"), r.stderr());
            assertFalse(Files.exists(marker), "psql ran " + sql);
        }
        // the old way (psql -c with the query as it was typed) ran it: the reason for the statement above
        CommandResult old = pg.shell().run(commands.sql(pg.port(), "\\! id > " + marker), Duration.ofSeconds(30));
        assertTrue(old.succeeded() && Files.exists(marker), "psql -c runs a leading backslash command itself");
        Files.delete(marker);
        assertThrows(IllegalArgumentException.class, () -> VerifyQuery.statement("select 1; \\! id > " + marker));
    }

    @Test
    void aWriteFailsReadOnly() throws Exception {
        psql("postgres", "CREATE SEQUENCE IF NOT EXISTS verify_seq");
        CommandResult create = verify("postgres", "create table x()");
        assertFalse(create.succeeded());
        CommandResult next = verify("postgres", "select nextval('verify_seq')");
        assertFalse(next.succeeded());
        assertTrue(next.stderr().contains("cannot execute nextval() in a read-only transaction"), next.stderr());
        CommandResult cte = verify("postgres", "with i as (insert into pg_temp.nothing values (1) returning 1)"
                + " select * from i");
        assertFalse(cte.succeeded());
        CommandResult escape = verify("postgres", "select set_config('transaction_read_only', 'off', true),"
                + " nextval('verify_seq')");
        assertFalse(escape.succeeded(), escape.stdout());
        assertEquals(Long.valueOf(0), pg.sql().<Long>queryOne("SELECT count(*) FROM pg_class WHERE relname = 'x'",
                r -> r.getLong(1)));
        assertEquals(Boolean.FALSE, pg.sql().<Boolean>queryOne("SELECT is_called FROM verify_seq",
                r -> r.getBoolean(1)));
    }

    @Test
    void onlyOneQueryIsAccepted() {
        assertEquals("SELECT * FROM (\nselect 1 -- note\n) AS pgdeck_verify",
                VerifyQuery.statement(" select 1 -- note ;\n"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> VerifyQuery.statement("select 1; commit;"
                + " create table x()")).getMessage().contains("without ';'"));
        assertThrows(IllegalArgumentException.class, () -> VerifyQuery.statement("  ;  "));
        assertEquals("dbname='a\\'b c'", VerifyQuery.psqlDatabase("a'b c"));
        assertEquals("analytics", VerifyQuery.psqlDatabase("analytics"));
        assertThrows(IllegalArgumentException.class, () -> VerifyQuery.psqlDatabase(""));
    }
}
