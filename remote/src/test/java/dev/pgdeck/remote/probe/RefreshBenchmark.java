package dev.pgdeck.remote.probe;

import dev.pgdeck.model.HostStatus;
import dev.pgdeck.model.InstanceStatus;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.host.LocalShell;
import dev.pgdeck.remote.hosts.HostDatabases;
import dev.pgdeck.remote.hosts.HostEntry;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.pg.LocalCluster;
import dev.pgdeck.remote.pg.PgBinaries;
import dev.pgdeck.remote.ssh.HostKeyPrompt;
import dev.pgdeck.remote.ssh.PassphraseSource;
import dev.pgdeck.remote.ssh.SshShell;
import dev.pgdeck.remote.testing.SshServerExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The issue's refresh benchmark: one host with 3 real PostgreSQL 15 clusters, each with a WAL archive of 20,000
 * segment files (synthetic, valid names, sparse 16 MiB files, plus one backup history file per backup) and 100 base
 * backup directories (base.tar.gz, pg_wal.tar.gz, a pg15-shaped backup_manifest of 1,000 files with its WAL range),
 * 2,000 ZFS snapshots from a fake {@code zfs} on PATH replaying a generated {@code zfs list -H -p} listing, and 500
 * restic snapshots from a fake {@code restic} on PATH printing generated {@code snapshots --json} (a real repository
 * with 500 snapshots takes minutes to build; the real-restic path is covered by HostOverviewSshTest). The host is the
 * embedded MINA SSH server on loopback. Prints pgdeck's refresh time (warm connection) beside the same bare commands
 * run through the system {@code ssh} client (the floor: once over a multiplexed, already open connection, once with a
 * fresh connection per run), and the share of the refresh spent parsing and building the model. Run with:
 * <pre>
 * ./mvnw -q -B -o -pl model,remote -Pbench-refresh test -DskipTests
 * </pre>
 * The parent of the fake commands' directory is passed as the first argument; the pom puts its {@code bin} first on
 * PATH, which the SSH server's shells inherit.
 */
public final class RefreshBenchmark {
    static final List<String> INSTANCES = List.of("main", "dev", "analytics");
    static final int SEGMENTS = 20_000;
    static final int BACKUPS = 100;
    static final int ZFS_SNAPSHOTS = 2_000;
    static final int RESTIC_SNAPSHOTS = 500;
    static final int ROUNDS = 7;
    static final long SEGMENT_SIZE = 16L * 1024 * 1024;
    static final Instant START = Instant.parse("2025-07-01T00:00:00Z");
    static final DateTimeFormatter LABEL = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    static final DateTimeFormatter PG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private RefreshBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        Path bin = root.resolve("bin");
        if (!System.getenv("PATH").startsWith(bin.toString())) {
            throw new IllegalStateException("run through the bench-refresh profile: " + bin + " must lead PATH");
        }
        deleteTree(root);
        Files.createDirectories(bin);
        Random random = new Random(42);
        PgBinaries binaries = PgBinaries.locate(System.getenv());
        CommandLog setupLog = new CommandLog();
        LocalShell local = new LocalShell("bench-host", setupLog);
        List<LocalCluster> clusters = new ArrayList<>();
        List<HostOverviewProbe.Instance> instances = new ArrayList<>();
        SshServerExtension ssh = new SshServerExtension();
        long setup = System.nanoTime();
        try {
            for (String name : INSTANCES) {
                int port = freePort();
                LocalCluster cluster = startCluster(local, binaries, root, name, port);
                clusters.add(cluster);
                instances.add(new HostOverviewProbe.Instance(name, port));
                writeArchiveAndBackups(root, name, random);
            }
            writeHostFixtures(root, bin, random);
            ssh.beforeAll(null);
            Files.setPosixFilePermissions(ssh.clientKey(), PosixFilePermissions.fromString("rw-------"));
            System.out.printf("set-up: 3 clusters, %,d WAL segments, %d base backups, %,d ZFS and %d restic snapshots"
                    + " in %.1f s%n", SEGMENTS * INSTANCES.size(), BACKUPS * INSTANCES.size(), ZFS_SNAPSHOTS,
                    RESTIC_SNAPSHOTS, (System.nanoTime() - setup) / 1e9);
            run(ssh, root, binaries, instances);
        } finally {
            ssh.afterAll(null);
            for (LocalCluster c : clusters) {
                if (c.isRunning()) {
                    c.stop();
                }
            }
        }
    }

    static void run(SshServerExtension ssh, Path root, PgBinaries binaries, List<HostOverviewProbe.Instance> instances)
            throws Exception {
        HostProfile profile = benchProfile();
        Map<String, String> values = new HashMap<>();
        values.put("root", root.toString());
        values.put("version", "15");
        values.put("pgBin", binaries.binDir().toString());
        CommandLog log = new CommandLog();
        long[] pgdeck = new long[ROUNDS];
        long[] parse = new long[ROUNDS];
        long[] floorMux = new long[ROUNDS];
        long[] floorFresh = new long[ROUNDS];
        long[] jdbc = new long[ROUNDS];
        long first;
        long outputBytes;
        try (SshShell shell = new SshShell(ssh.target("bench", ssh.knownHosts()), log, HostKeyPrompt.REFUSE,
                PassphraseSource.NONE)) {
            // as the console refreshes: with the host's memory of archived segments read by pg_waldump
            WalStops walStops = new WalStops();
            HostOverviewProbe probe = new HostOverviewProbe(shell, profile, values).withWalStops(walStops);
            List<CommandBatch.Part> parts = probe.parts(instances);
            String bare = String.join("\n", parts.stream().map(p -> p.command().shellLine()).toList());
            SystemSsh floor = new SystemSsh(ssh, root.resolve("ssh-mux"));
            long t = System.nanoTime();
            HostStatus cold = probe.probe(instances);
            first = System.nanoTime() - t;
            check(cold);
            int coldReads = walStops.reads();
            outputBytes = floor.run(bare, true); // opens the master connection
            for (int i = 0; i < ROUNDS; i++) {
                t = System.nanoTime();
                HostStatus status = probe.probe(instances);
                pgdeck[i] = System.nanoTime() - t;
                parse[i] = status.probe().parseMillis();
                check(status);
                t = System.nanoTime();
                floor.run(bare, true);
                floorMux[i] = System.nanoTime() - t;
                t = System.nanoTime();
                floor.run(bare, false);
                floorFresh[i] = System.nanoTime() - t;
            }
            floor.close();
            System.out.printf("pg_waldump runs: %d in the first refresh, %d in the %d after it%n", coldReads,
                    walStops.reads() - coldReads, ROUNDS);
            // The same refresh with each instance's SQL over JDBC (read-only pools on SSH port forwards) instead of
            // psql in the batch.
            HostEntry entry = new HostEntry("bench", SshServerExtension.HOST, ssh.port(),
                    System.getProperty("user.name"), ssh.clientKey().toString(), "sandbox", values,
                    instances.stream().map(i -> new HostEntry.InstanceEntry(i.name(), i.port(), "postgres", false,
                            null)).toList());
            try (HostDatabases dbs = HostDatabases.open(entry, shell, log)) {
                HostOverviewProbe viaJdbc = probe.withDatabases(dbs.sql());
                check(viaJdbc.probe(instances));
                for (int i = 0; i < ROUNDS; i++) {
                    t = System.nanoTime();
                    check(viaJdbc.probe(instances));
                    jdbc[i] = System.nanoTime() - t;
                }
            }
            System.out.printf("%d commands in one batch, %.1f MB of output per refresh%n", parts.size(),
                    outputBytes / 1e6);
        }
        double p = median(pgdeck) / 1e6;
        double fm = median(floorMux) / 1e6;
        double ff = median(floorFresh) / 1e6;
        double parseMs = median(parse);
        System.out.printf("pgdeck refresh (warm SSH connection, median of %d): %.0f ms; first refresh (connect, cold"
                + " JVM): %.0f ms%n", ROUNDS, p, first / 1e6);
        System.out.printf("floor, the same bare commands through system ssh: %.0f ms over an open (multiplexed)"
                + " connection, %.0f ms with a fresh connection%n", fm, ff);
        System.out.printf("pgdeck / floor (open connection): %.2fx (goal <= 1.5x); pgdeck / floor (fresh): %.2fx;"
                + " under 2 s: %s%n", p / fm, p / ff, p < 2000 ? "yes" : "NO");
        System.out.printf("pgdeck refresh with the SQL over JDBC through SSH port forwards (beside the batch): %.0f ms%n",
                median(jdbc) / 1e6);
        System.out.printf("parsing and model building: %.0f ms = %.1f%% of the refresh (goal < 10%%)%n", parseMs,
                100 * parseMs / p);
    }

    /** The refresh must have read everything, or its time means nothing. */
    static void check(HostStatus status) {
        if (!status.reachable() || !status.errors().isEmpty()) {
            throw new IllegalStateException("host errors: " + status.error() + " " + status.errors());
        }
        for (InstanceStatus i : status.instances()) {
            if (!i.errors().isEmpty() || !i.running() || i.walArchive().segments() != SEGMENTS
                    || i.baseBackups().size() != BACKUPS || i.zfsSnapshots().isEmpty()
                    || i.zfsSnapshots().stream().anyMatch(z -> z.replicated() == null)
                    || i.resticSnapshots().isEmpty() || i.recoverableWindow() == null) {
                throw new IllegalStateException(i.name() + " incomplete: errors " + i.errors() + ", segments "
                        + (i.walArchive() == null ? null : i.walArchive().segments()) + ", backups "
                        + (i.baseBackups() == null ? null : i.baseBackups().size()));
            }
        }
    }

    /** The sandbox profile, but ZFS and restic called by name (found on PATH) as on a seed-002 host. */
    static HostProfile benchProfile() {
        HostProfile sandbox = HostProfile.builtIn("sandbox");
        Map<String, List<String>> commands = new HashMap<>(sandbox.commands());
        commands.put("zfsSnapshots", List.of("zfs", "list", "-H", "-p", "-t", "snapshot", "-o",
                "name,creation,used,refer"));
        commands.put("zfsReplicaSnapshots", List.of("zfs", "list", "-H", "-p", "-t", "snapshot", "-o",
                "name,creation,used,refer", "-r", "{zfsReplicaRoot}"));
        commands.put("resticSnapshots", List.of("restic", "-r", "{resticRepo}", "--password-file",
                "{resticPasswordFile}", "snapshots", "--json", "--no-lock"));
        return new HostProfile("bench", "sandbox with zfs and restic on PATH", sandbox.variables(), sandbox.paths(),
                sandbox.units(), sandbox.expectedTimers(), sandbox.zfsDatasets(), commands);
    }

    static LocalCluster startCluster(LocalShell local, PgBinaries binaries, Path root, String name, int port)
            throws Exception {
        Path dataDir = root.resolve("var/lib/postgresql/15/" + name);
        Files.createDirectories(dataDir.getParent());
        LocalCluster cluster = new LocalCluster(local, binaries, dataDir, root.resolve(name + ".log"));
        cluster.initdb();
        // Archiving off: the archive is synthetic (20,000 segments would take hours to produce for real).
        Files.writeString(dataDir.resolve("postgresql.conf"), "\nport = " + port
                + "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '" + root + "'\nfsync = off\n"
                + "shared_buffers = 16MB\n", StandardOpenOption.APPEND);
        cluster.start();
        return cluster;
    }

    static String segment(int timeline, long number) {
        return String.format("%08X%08X%08X", timeline, number / 256, number % 256);
    }

    static String lsn(long value) {
        return String.format("%X/%X", value >>> 32, value & 0xFFFFFFFFL);
    }

    static void writeArchiveAndBackups(Path root, String name, Random random) throws IOException {
        Path archive = root.resolve("var/lib/postgresql/15/" + name + "-wal-archive");
        Path backups = root.resolve("var/backup/postgresql/" + name);
        Files.createDirectories(archive);
        Files.createDirectories(backups);
        long spanSeconds = Duration.ofDays(BACKUPS).toSeconds();
        for (long s = 1; s <= SEGMENTS; s++) {
            Path f = archive.resolve(segment(1, s));
            try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
                raf.setLength(SEGMENT_SIZE); // sparse: the size find reports, without the disk
            }
            Files.setLastModifiedTime(f, FileTime.from(START.plusSeconds(s * spanSeconds / SEGMENTS)));
        }
        String fileLines = manifestFiles(random);
        for (int b = 0; b < BACKUPS; b++) {
            Instant started = START.plus(Duration.ofDays(b)).plus(Duration.ofHours(3));
            Instant stopped = started.plusSeconds(95);
            long seg = (long) b * SEGMENTS / BACKUPS + 20;
            long startLsn = seg * SEGMENT_SIZE + 0x28;
            long stopLsn = seg * SEGMENT_SIZE + 0x170;
            String label = LABEL.format(started);
            Path dir = backups.resolve(label);
            Files.createDirectories(dir);
            sparse(dir.resolve("base.tar.gz"), 1_500_000_000L + random.nextInt(100_000_000));
            sparse(dir.resolve("pg_wal.tar.gz"), 2_000_000L + random.nextInt(100_000));
            Files.writeString(dir.resolve("backup_manifest"), "{ \"PostgreSQL-Backup-Manifest-Version\": 1,\n"
                    + "\"Files\": [\n" + fileLines + "],\n\"WAL-Ranges\": [\n{ \"Timeline\": 1, \"Start-LSN\": \""
                    + lsn(startLsn) + "\", \"End-LSN\": \"" + lsn(stopLsn) + "\" }\n],\n\"Manifest-Checksum\": \""
                    + hex(random, 32) + "\"}\n");
            Files.writeString(archive.resolve(segment(1, seg) + ".00000028.backup"),
                    "START WAL LOCATION: " + lsn(startLsn) + " (file " + segment(1, seg) + ")\n"
                            + "STOP WAL LOCATION: " + lsn(stopLsn) + " (file " + segment(1, seg) + ")\n"
                            + "CHECKPOINT LOCATION: " + lsn(startLsn + 0x70) + "\nBACKUP METHOD: streamed\n"
                            + "BACKUP FROM: primary\nSTART TIME: " + PG_TIME.format(started) + "\nLABEL: pgdeck "
                            + label + "\nSTART TIMELINE: 1\nSTOP TIME: " + PG_TIME.format(stopped)
                            + "\nSTOP TIMELINE: 1\n");
        }
    }

    /** 1,000 file lines in pg15's manifest format: a small cluster's manifest is about this long. */
    static String manifestFiles(Random random) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            sb.append("{ \"Path\": \"base/16384/").append(16384 + i).append("\", \"Size\": ").append(8192L * (1
                    + random.nextInt(64))).append(", \"Last-Modified\": \"2025-07-01 03:00:00 GMT\","
                    + " \"Checksum-Algorithm\": \"CRC32C\", \"Checksum\": \"").append(hex(random, 4)).append("\" }")
                    .append(i < 999 ? ",\n" : "\n");
        }
        return sb.toString();
    }

    static void writeHostFixtures(Path root, Path bin, Random random) throws IOException {
        Path fixtures = root.resolve("fixtures");
        Files.createDirectories(fixtures);
        // ZFS: hourly sanoid snapshots of each instance's two datasets, `zfs list -H -p` (tabs, epoch s, bytes).
        StringBuilder zfs = new StringBuilder();
        List<String> datasets = new ArrayList<>();
        for (String i : INSTANCES) {
            datasets.add("tank/services/postgresql/" + i);
            datasets.add("tank/services/postgresql/" + i + "-wal");
        }
        DateTimeFormatter snapName = DateTimeFormatter.ofPattern("yyyy-MM-dd_HH:mm:ss").withZone(ZoneOffset.UTC);
        for (int n = 0; n < ZFS_SNAPSHOTS; n++) {
            Instant created = START.plus(Duration.ofHours(n / datasets.size())).plusSeconds(1);
            zfs.append(datasets.get(n % datasets.size())).append("@autosnap_").append(snapName.format(created))
                    .append("_hourly\t").append(created.getEpochSecond()).append('\t')
                    .append(4096L * random.nextInt(100_000)).append('\t').append(15_000_000_000L + n * 8192L)
                    .append('\n');
        }
        Files.writeString(fixtures.resolve("zfs-list-snapshots.txt"), zfs);
        // syncoid's target: every snapshot but the newest hour's, under backup/forge/postgresql
        StringBuilder target = new StringBuilder();
        List<String> lines = zfs.toString().lines().toList();
        for (String line : lines.subList(0, lines.size() - datasets.size())) {
            target.append(line.replace("tank/services/postgresql/", "backup/forge/postgresql/")).append('\n');
        }
        Files.writeString(fixtures.resolve("zfs-list-snapshots-target.txt"), target);
        // restic: snapshots --json as restic 0.14 prints it, one compact array.
        StringBuilder restic = new StringBuilder("[");
        for (int n = 0; n < RESTIC_SNAPSHOTS; n++) {
            String inst = INSTANCES.get(n % INSTANCES.size());
            boolean base = (n / INSTANCES.size()) % 2 == 0;
            Instant time = START.plusSeconds(n * 17_280L).plusNanos(random.nextInt(1_000_000_000));
            String id = hex(random, 32);
            restic.append(n == 0 ? "" : ",").append("{\"time\":\"").append(time).append("\",\"tree\":\"")
                    .append(hex(random, 32)).append("\",\"paths\":[\"/var/")
                    .append(base ? "backup/postgresql/" + inst : "lib/postgresql/16/" + inst + "-wal-archive")
                    .append("\"],\"hostname\":\"forge\",\"username\":\"root\",\"tags\":[\"postgresql\",\"")
                    .append(inst).append("\",\"").append(base ? "base-backup" : "wal-archive")
                    .append("\"],\"id\":\"").append(id).append("\",\"short_id\":\"").append(id, 0, 8).append("\"}");
        }
        Files.writeString(fixtures.resolve("restic-snapshots.json"), restic.append("]\n"));
        // systemd: every seed-002 timer of every instance, recently run and scheduled.
        long nowMicros = Instant.now().getEpochSecond() * 1_000_000L;
        StringBuilder timers = new StringBuilder("[");
        for (String i : INSTANCES) {
            for (String t : List.of("postgresql-basebackup-%s.timer", "postgresql-walprune-%s.timer",
                    "restic-backups-postgresql-%s-wal.timer", "restic-backups-postgresql-%s-base.timer")) {
                String unit = String.format(t, i);
                timers.append(timers.length() > 1 ? "," : "").append("{\"next\":").append(nowMicros + 3_600_000_000L)
                        .append(",\"left\":").append(nowMicros + 3_600_000_000L).append(",\"last\":")
                        .append(nowMicros - 600_000_000L).append(",\"passed\":").append(nowMicros - 600_000_000L)
                        .append(",\"unit\":\"").append(unit).append("\",\"activates\":\"")
                        .append(unit.replace(".timer", ".service")).append("\"}");
            }
        }
        Files.writeString(fixtures.resolve("systemctl-list-timers.json"), timers.append("]\n"));
        Files.writeString(fixtures.resolve("systemctl-list-units-failed.json"), "[]\n");
        Path metrics = root.resolve("var/lib/node_exporter/textfile_collector");
        Files.createDirectories(metrics);
        for (String i : INSTANCES) {
            Files.writeString(metrics.resolve("postgresql_" + i + ".prom"), "# TYPE postgresql_health gauge\n"
                    + "postgresql_health{instance=\"" + i + "\"} 1\n# TYPE postgresql_backup_last_success_timestamp"
                    + " gauge\npostgresql_backup_last_success_timestamp{instance=\"" + i + "\"} "
                    + Instant.now().getEpochSecond() + "\n");
        }
        Files.writeString(bin.resolve("zfs"), "#!/bin/sh\n# zfs list ... -r <replica root>: the target's listing\n"
                + "case \"$*\" in *' -r '*) exec cat '" + fixtures.resolve("zfs-list-snapshots-target.txt") + "';; esac\n"
                + "exec cat '" + fixtures.resolve("zfs-list-snapshots.txt") + "'\n");
        Files.setPosixFilePermissions(bin.resolve("zfs"), PosixFilePermissions.fromString("rwxr-xr-x"));
        fakeCommand(bin.resolve("restic"), fixtures.resolve("restic-snapshots.json"));
    }

    /** A stand-in for a tool that cannot run here: prints its recorded output, whatever the arguments. */
    static void fakeCommand(Path script, Path output) throws IOException {
        Files.writeString(script, "#!/bin/sh\nexec cat '" + output + "'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    static void sparse(Path file, long size) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
        }
    }

    static String hex(Random random, int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static double median(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
    }

    static void deleteTree(Path root) throws IOException, InterruptedException {
        if (Files.exists(root)) {
            new ProcessBuilder("rm", "-rf", root.toString()).inheritIO().start().waitFor();
        }
    }

    /** The system OpenSSH client against the same server, host key checked against the same known_hosts. */
    static final class SystemSsh {
        private final SshServerExtension ssh;
        private final Path control;

        SystemSsh(SshServerExtension ssh, Path control) {
            this.ssh = ssh;
            this.control = control;
        }

        /** Runs {@code script} on the host, reads all its output, returns the byte count. */
        long run(String script, boolean multiplexed) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of("ssh", "-F", "/dev/null", "-i", ssh.clientKey().toString(),
                    "-p", Integer.toString(ssh.port()), "-o", "UserKnownHostsFile=" + ssh.knownHosts(),
                    "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
                    "-o", "LogLevel=ERROR"));
            if (multiplexed) {
                cmd.addAll(List.of("-o", "ControlMaster=auto", "-o", "ControlPath=" + control, "-o",
                        "ControlPersist=120"));
            }
            cmd.addAll(List.of(System.getProperty("user.name") + "@" + SshServerExtension.HOST, script));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            long bytes;
            try (InputStream in = p.getInputStream()) {
                bytes = in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            if (p.waitFor() != 0) {
                throw new IllegalStateException("system ssh failed with exit status " + p.exitValue());
            }
            return bytes;
        }

        void close() throws IOException, InterruptedException {
            new ProcessBuilder("ssh", "-o", "ControlPath=" + control, "-O", "exit", "x")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        }
    }
}
