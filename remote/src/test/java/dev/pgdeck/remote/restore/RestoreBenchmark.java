package dev.pgdeck.remote.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.CommandResult;
import dev.pgdeck.model.HostCommand;
import dev.pgdeck.model.restore.RecoveryTarget;
import dev.pgdeck.model.restore.RestoreMode;
import dev.pgdeck.model.restore.RestorePlan;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.host.LocalShell;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.pg.InstancePool;
import dev.pgdeck.remote.pg.LocalCluster;
import dev.pgdeck.remote.pg.LoggedSql;
import dev.pgdeck.remote.pg.PgBinaries;
import dev.pgdeck.remote.testing.TempTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The restore engine against the same steps as a bare shell script (the plan's own script), in one run: a cluster of
 * {@code bench.mb} MB (default 1024) with {@code bench.segments} WAL segments (default 300) written after its base
 * backup, restored as a drill to the latest point, each way twice (the first pair warms the page cache; the second
 * is reported). Not part of the suite (its name does not end in Test); run it with
 * <pre>
 * ./mvnw -q -B -o -pl remote -am test -Dtest=RestoreBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dbench.mb=256 -Dbench.segments=64
 * </pre>
 * Goal (issue 4): the engine takes at most 1.1x the bare script.
 */
class RestoreBenchmark {
    @Test
    void engineAgainstBareScript() throws Exception {
        int mb = Integer.getInteger("bench.mb", 1024);
        int segments = Integer.getInteger("bench.segments", 300);
        Path root = Files.createTempDirectory("pgdeck-restore-bench-");
        Path dataDir = root.resolve("var/lib/postgresql/15/main");
        Path archive = root.resolve("var/lib/postgresql/15/main-wal-archive");
        Path backups = root.resolve("var/backup/postgresql/main");
        Files.createDirectories(archive);
        Files.createDirectories(backups);
        PgBinaries binaries = PgBinaries.locate(System.getenv());
        CommandLog log = new CommandLog();
        LocalShell shell = new LocalShell("bench", log);
        LocalCluster cluster = new LocalCluster(shell, binaries, dataDir, root.resolve("server.log"));
        cluster.initdb();
        int port = RestoreEndToEndTest.freePort();
        String arch = dev.pgdeck.model.ShellQuote.quote(archive.toString());
        Files.writeString(dataDir.resolve("postgresql.conf"), "\nport = " + port + "\nlisten_addresses = '127.0.0.1'"
                + "\nunix_socket_directories = '" + root + "'\nwal_level = replica\narchive_mode = on"
                + "\narchive_command = 'test ! -f " + arch + "/%f && cp %p " + arch + "/%f'\nmax_wal_size = 4GB\n",
                StandardOpenOption.APPEND);
        cluster.start();
        try (InstancePool pool = InstancePool.open("bench-" + port, "127.0.0.1", port, "postgres", "postgres", false)) {
            LoggedSql sql = new LoggedSql(pool.dataSource(), log, "bench");
            long t0 = System.nanoTime();
            sql.execute("CREATE TABLE big (id bigint, pad text)");
            sql.execute("INSERT INTO big SELECT g, repeat(md5(g::text), 30) FROM generate_series(1, ?) g",
                    (long) mb * 1024 * 1024 / 1000);
            sql.execute("CHECKPOINT");
            CommandResult backup = shell.run(HostCommand.of(binaries.tool("pg_basebackup").toString(), "-h",
                    "127.0.0.1", "-p", Integer.toString(port), "-U", "postgres", "-D",
                    backups.resolve("20251011-120000").toString(), "-Ft", "-z", "-Xstream", "-c", "fast"),
                    Duration.ofHours(1));
            assertTrue(backup.succeeded(), backup.describeFailure());
            String first = sql.queryOne("SELECT pg_walfile_name(pg_current_wal_lsn())", r -> r.getString(1));
            // about 16 MB of WAL per 15,000 rows of 1 kB
            sql.execute("INSERT INTO big SELECT g, repeat(md5(g::text), 30) FROM generate_series(1, ?) g",
                    (long) segments * 15_000);
            String last = sql.queryOne("SELECT pg_walfile_name(pg_switch_wal())", r -> r.getString(1));
            RestoreEndToEndTest.waitFor(() -> Files.exists(archive.resolve(last)), "archiving of " + last);
            long expected = sql.queryOne("SELECT count(*) FROM big", r -> r.getLong(1));
            System.out.printf("bench: %d MB cluster, WAL %s..%s after the backup, built in %.0f s%n", mb, first, last,
                    (System.nanoTime() - t0) / 1e9);

            Map<String, String> values = new HashMap<>();
            values.put("root", root.toString());
            values.put("version", "15");
            values.put("pgBin", binaries.binDir().toString());
            RestoreWorkflow w = new RestoreWorkflow(shell, HostProfile.builtIn("sandbox"), values, "main", port,
                    Clock.systemUTC());
            String verify = "SELECT count(*) FROM big";
            double[] script = new double[2];
            double[] engine = new double[2];
            for (int round = 0; round < 2; round++) {
                RestorePlan p1 = plan(w, verify);
                Path file = root.resolve("drill-" + round + ".sh");
                Files.writeString(file, p1.toShellScript());
                long s0 = System.nanoTime();
                CommandResult r = shell.run(HostCommand.of("sh", file.toString()), Duration.ofHours(2));
                script[round] = (System.nanoTime() - s0) / 1e9;
                assertTrue(r.succeeded(), r.describeFailure());
                assertTrue(r.stdout().contains(Long.toString(expected)), r.stdout());

                RestorePlan p2 = plan(w, verify);
                long e0 = System.nanoTime();
                RestoreReport report = w.execute(p2, RestoreListener.NONE, new RestoreCancel(),
                        RestoreExecutor.Options.DEFAULT);
                engine[round] = (System.nanoTime() - e0) / 1e9;
                assertTrue(report.succeeded(), report.account());
                assertEquals(List.of(List.of(Long.toString(expected))), report.verifyRows());
                System.out.printf("bench: round %d: bare script %.1f s, engine %.1f s (rto %.1f s)%n", round + 1,
                        script[round], engine[round], report.rtoSeconds());
            }
            System.out.printf("bench: restore of %d MB + %s..%s: engine %.1f s beside bare script %.1f s:"
                    + " %.2fx (goal <= 1.10x)%n", mb, first, last, engine[1], script[1], engine[1] / script[1]);
        } finally {
            cluster.stop();
            TempTrees.delete(root); // a 1 GB run leaves about 19 GB (backups, WAL, four restored copies)
        }
    }

    private static RestorePlan plan(RestoreWorkflow w, String verify) throws Exception {
        // plans are named by the second: one second apart, so each run gets its own scratch directory
        Thread.sleep(1100);
        InstanceRecovery state = w.read();
        var backup = state.facts().backups().get(0);
        return w.plan(state, RecoveryTarget.latest(), backup, 1, RestoreMode.DRILL, RestoreEndToEndTest.freePort(),
                verify);
    }
}
