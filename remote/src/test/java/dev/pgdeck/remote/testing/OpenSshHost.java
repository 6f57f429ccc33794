package dev.pgdeck.remote.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.CommandResult;
import dev.pgdeck.model.HostCommand;
import dev.pgdeck.model.ShellQuote;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.host.LocalShell;
import dev.pgdeck.remote.hosts.HostEntry;
import dev.pgdeck.remote.hosts.HostInventory;
import dev.pgdeck.remote.hosts.InventoryHosts;
import dev.pgdeck.remote.pg.CurrentUser;
import dev.pgdeck.remote.ssh.HostKeyPrompt;
import dev.pgdeck.remote.ssh.PassphraseSource;
import dev.pgdeck.remote.ssh.SshShell;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real host for the tests of a class, as pgdeck meets one: the system's OpenSSH {@code sshd} on a free loopback port
 * (its own host key and configuration in a temp dir: {@code sshd -D -e -f <cfg>}, no system file read or changed), a
 * login user of its own who authenticates by key and may run anything as postgres through {@code sudo -n}, and
 * PostgreSQL 15 clusters owned by postgres in the seed-002 layout under a root the fixture owns:
 * {@code var/lib/postgresql/15/<inst>}, {@code <inst>-wal-archive} beside it (archived into by each cluster), base
 * backups in {@code var/backup/postgresql/<inst>/<YYYYMMDD-HHMMSS>/} ({@code base.tar.gz}, {@code pg_wal.tar.gz},
 * {@code backup_manifest}). The {@link #hostEntry() host entry} names the built-in {@code seed002} profile with its
 * paths set by host variables to that root, so tests run pgdeck's real {@link SshShell} and profile commands.
 *
 * <p>What stands in for the parts of a seed-002 host this machine has not: systemd. A {@code systemctl} in the
 * fixture's own bin directory (first on the login's PATH, through sshd's {@code SetEnv}, and on sudo's
 * {@code secure_path}, through the fixture's sudoers drop-in) answers {@code start [--no-block]}, {@code stop},
 * {@code is-active} for each instance's {@code postgresql-<inst>.service} with {@code pg_ctl} run as postgres, and
 * {@code list-timers} / {@code list-units} with empty lists. There is no {@code zfs}: a host without ZFS, as finding 1
 * of issue 12 needs. The login may run as root (through {@code sudo -n}) only that {@code systemctl} and
 * {@code restic}. Each cluster listens on its own port at {@code 127.0.0.1} and in {@code /var/run/postgresql} (where
 * the profile's plain {@code psql -p <port>} looks); it logs into {@code log/} of its data directory (logging
 * collector), where pgdeck's restore follows a server's log.
 *
 * <p>Needs root (it adds a user and a file in {@code /etc/sudoers.d}, both removed afterwards, also at JVM exit),
 * {@code /usr/sbin/sshd} (package openssh-server), sudo and PostgreSQL 15 in {@code /usr/lib/postgresql/15/bin};
 * without them the class is skipped with the reason. CI runs as root and installs them ({@code .ci/run}).
 * Register with {@code @RegisterExtension static final OpenSshHost HOST = new OpenSshHost("main")}: one sshd and one
 * set of clusters per test class (one {@code initdb -N}, copied for the other instances).
 */
public final class OpenSshHost implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    public static final String ADDRESS = "127.0.0.1";
    public static final String SSHD = "/usr/sbin/sshd";
    public static final String PG_BIN = "/usr/lib/postgresql/15/bin";
    /** Where the PostgreSQL binaries of Debian's build look for the Unix socket, so the profile's psql finds it. */
    public static final String SOCKET_DIR = "/var/run/postgresql";
    public static final String VERSION = "15";
    private static final DateTimeFormatter LABEL = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final List<String> instanceNames;
    private final String hostName;
    private final CommandLog setupLog = new CommandLog();
    private final LocalShell local = new LocalShell("openssh-host-setup", setupLog);
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private Path dir;
    private Path root;
    private Path bin;
    private Path clientKey;
    private Path knownHosts;
    private String user;
    private Path sudoers;
    private int sshPort;
    private Process sshd;
    private Thread cleanupAtExit;

    /** A host named {@code realhost} with one instance per name (default: {@code main}). */
    public OpenSshHost(String... instances) {
        this("realhost", List.of(instances));
    }

    private OpenSshHost(String hostName, List<String> instances) {
        this.hostName = hostName;
        this.instanceNames = instances.isEmpty() ? List.of("main") : List.copyOf(instances);
    }

    /** A host named {@code hostName} (as the inventory and the command log show it). */
    public static OpenSshHost named(String hostName, String... instances) {
        return new OpenSshHost(hostName, List.of(instances));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Assumptions.assumeTrue(CurrentUser.isRoot(), "the real OpenSSH host adds a login user and a sudoers"
                + " drop-in: it needs root (CI runs as root)");
        Assumptions.assumeTrue(Files.isExecutable(Path.of(SSHD)), SSHD + " is missing (apt-get install"
                + " openssh-server)");
        Assumptions.assumeTrue(Files.isExecutable(Path.of(PG_BIN, "postgres")), "PostgreSQL 15 is not in " + PG_BIN);
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/sudo")), "sudo is missing (apt-get install sudo)");
        try {
            build();
        } catch (Exception | Error e) {
            try {
                afterAll(context);
            } catch (Exception cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private void build() throws Exception {
        dir = Files.createTempDirectory("pgdeck-openssh-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        user = "pgdk" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        cleanupAtExit = new Thread(this::removeSystemEntries, "openssh-host-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupAtExit);
        Path home = Files.createDirectories(dir.resolve("home"));
        require(asRoot("useradd", "-M", "-d", home.toString(), "-s", "/bin/sh", "-U", "-p", "*", user));
        require(asRoot("chown", user + ":" + user, home.toString()));
        bin = Files.createDirectories(dir.resolve("bin"));
        root = Files.createDirectories(dir.resolve("host"));
        for (String name : instanceNames) {
            ports.put(name, ArchivingCluster.freePort());
        }
        writeSystemctl();
        writeSudoers();
        startSshd();
        buildClusters();
    }

    /** The {@code systemctl} stand-in: the fixture's units, started and stopped with pg_ctl as postgres. */
    private void writeSystemctl() throws IOException {
        Path units = Files.createDirectories(dir.resolve("units"));
        for (String name : instanceNames) {
            Files.writeString(units.resolve("postgresql-" + name + ".service"), "dir=" + ShellQuote.quote(
                    dataDir(name).toString()) + "\nlog=" + ShellQuote.quote(root.resolve("var/log/postgresql/postgresql-"
                    + name + ".log").toString()) + "\n");
        }
        String script = """
                #!/bin/sh
                # pgdeck's OpenSSH test host: stands in for systemd's systemctl, for the fixture's PostgreSQL units only
                units=%s
                pgctl=%s/pg_ctl
                verb=$1; shift
                block=1
                unit=
                # options as systemctl takes them: --no-block, and -- before a unit name
                while [ $# -gt 0 ]; do
                  case $1 in
                    --no-block) block=0 ;;
                    --) shift; unit=$1; break ;;
                    -*) ;;
                    *) unit=$1; break ;;
                  esac
                  shift
                done
                case $verb in
                  list-timers|list-units) echo '[]'; exit 0 ;;
                esac
                case $unit in */*|'') echo "Unit $unit not found." >&2; exit 5 ;; esac
                if [ ! -f "$units/$unit" ]; then
                  if [ "$verb" = is-active ]; then echo inactive; exit 4; fi
                  echo "Unit $unit not found." >&2; exit 5
                fi
                . "$units/$unit"
                pg() { sudo -n -u postgres "$pgctl" "$@"; }
                running() { pg -D "$dir" status >/dev/null 2>&1; }
                case $verb in
                  start)
                    running && exit 0
                    if [ $block = 1 ]; then pg -D "$dir" -l "$log" -w -t 60 start >/dev/null
                    else pg -D "$dir" -l "$log" -W start >/dev/null; fi ;;
                  stop) if running; then pg -D "$dir" -m fast -w -t 120 stop >/dev/null; fi ;;
                  is-active) if running; then echo active; else echo inactive; exit 3; fi ;;
                  *) echo "systemctl (pgdeck test host): $verb is not supported" >&2; exit 1 ;;
                esac
                """.formatted(ShellQuote.quote(units.toString()), PG_BIN);
        Path systemctl = bin.resolve("systemctl");
        Files.writeString(systemctl, script);
        Files.setPosixFilePermissions(systemctl, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Validated with visudo before it is put in place: a broken drop-in would break sudo for the whole machine. */
    private void writeSudoers() throws Exception {
        String text = "# pgdeck test host " + dir + ": removed when its tests end\n"
                + "Defaults:" + user + " secure_path=\"" + bin + ":" + PG_BIN
                + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"\n"
                + user + " ALL=(postgres) NOPASSWD: ALL\n"
                + user + " ALL=(root) NOPASSWD: " + bin.resolve("systemctl") + ", /usr/bin/restic\n";
        Path draft = dir.resolve("sudoers-draft");
        Files.writeString(draft, text);
        require(asRoot("visudo", "-c", "-q", "-f", draft.toString()));
        // sudo ignores drop-ins whose name holds a dot: the user name has none
        Path target = Path.of("/etc/sudoers.d", "pgdeck-test-" + user);
        require(asRoot("install", "-m", "0440", "-o", "root", "-g", "root", draft.toString(), target.toString()));
        sudoers = target;
    }

    private void startSshd() throws Exception {
        Path sshdDir = Files.createDirectories(dir.resolve("sshd"));
        Files.setPosixFilePermissions(sshdDir, PosixFilePermissions.fromString("rwx------"));
        Path hostKey = sshdDir.resolve("ssh_host_ed25519_key");
        KeyPair host = SshServerExtension.writeKeyPair(hostKey);
        Files.setPosixFilePermissions(hostKey, PosixFilePermissions.fromString("rw-------"));
        clientKey = dir.resolve("id_ed25519");
        KeyPair client = SshServerExtension.writeKeyPair(clientKey);
        Path authorized = dir.resolve("authorized_keys");
        Files.writeString(authorized, PublicKeyEntry.toString(client.getPublic()) + " pgdeck-test\n");
        // the privilege separation directory the openssh-server package makes at boot (tmpfiles); not a config
        Files.createDirectories(Path.of("/run/sshd"));
        sshPort = ArchivingCluster.freePort();
        Path config = sshdDir.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "ListenAddress " + ADDRESS + ":" + sshPort,
                "HostKey " + hostKey,
                "PidFile " + sshdDir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + authorized,
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                // the key and home live in a temp dir under /tmp, which StrictModes would refuse
                "StrictModes no",
                "PermitRootLogin no",
                "AllowUsers " + user,
                "AllowTcpForwarding yes",
                "SetEnv PATH=" + bin + ":/usr/local/bin:/usr/bin:/bin",
                "LogLevel VERBOSE",
                ""));
        sshd = new ProcessBuilder(SSHD, "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(sshdDir.resolve("sshd.log").toFile()).start();
        knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, "[" + ADDRESS + "]:" + sshPort + " " + PublicKeyEntry.toString(host.getPublic())
                + "\n");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            if (!sshd.isAlive()) {
                throw new IllegalStateException("sshd exited " + sshd.exitValue() + ": "
                        + Files.readString(sshdDir.resolve("sshd.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(ADDRESS, sshPort), 200);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("sshd did not listen on port " + sshPort + " within 20 s: "
                            + Files.readString(sshdDir.resolve("sshd.log")));
                }
                Thread.sleep(20);
            }
        }
    }

    private void buildClusters() throws Exception {
        Files.createDirectories(Path.of(SOCKET_DIR));
        for (String d : List.of("var/lib/postgresql/" + VERSION, "var/log/postgresql", "var/tmp",
                "var/lib/node_exporter/textfile_collector")) {
            Files.createDirectories(root.resolve(d));
        }
        for (String name : instanceNames) {
            Files.createDirectories(archive(name));
            Files.createDirectories(backups(name));
        }
        require(asRoot("chown", "-R", "postgres:postgres", root.resolve("var").toString()));
        require(asRoot("chmod", "755", root.toString()));
        // one initdb (without fsync: the slow part of the set-up), copied for the other instances
        String first = instanceNames.get(0);
        require(asPostgres(PG_BIN + "/initdb", "-N", "-D", dataDir(first).toString(), "--auth-local", "peer",
                "--auth-host", "trust", "-E", "UTF8", "--locale=C.UTF-8", "-U", "postgres"));
        for (String name : instanceNames.subList(1, instanceNames.size())) {
            require(asPostgres("cp", "-a", "--", dataDir(first).toString(), dataDir(name).toString()));
        }
        for (String name : instanceNames) {
            String arch = ShellQuote.quote(archive(name).toString());
            require(asPostgres("sh", "-c", "printf '%s' \"$1\" >> \"$2\"", "sh", "\n"
                    + "port = " + ports.get(name) + "\n"
                    + "listen_addresses = '" + ADDRESS + "'\n"
                    + "unix_socket_directories = '" + SOCKET_DIR + "'\n"
                    + "fsync = off\nwal_level = replica\narchive_mode = on\nmax_wal_senders = 4\n"
                    + "archive_command = 'test ! -f " + arch + "/%f && cp %p " + arch + "/%f'\n"
                    + "logging_collector = on\nlog_directory = 'log'\n",
                    dataDir(name).resolve("postgresql.conf").toString()));
            require(systemctl("start", "postgresql-" + name + ".service"));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (dir == null) {
            return;
        }
        for (String name : instanceNames) {
            if (Files.exists(dataDir(name))) {
                systemctl("stop", "postgresql-" + name + ".service");
            }
        }
        removeSystemEntries();
        if (cleanupAtExit != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanupAtExit);
            } catch (IllegalStateException exiting) {
                // the JVM is already exiting: the hook runs anyway
            }
        }
        TempTrees.delete(dir);
        dir = null;
    }

    /** Stops sshd and removes the login user and its sudoers drop-in; safe to run twice (and at JVM exit). */
    private synchronized void removeSystemEntries() {
        try {
            if (sshd != null) {
                sshd.destroy();
                sshd.waitFor();
                sshd = null;
            }
            if (sudoers != null) {
                Files.deleteIfExists(sudoers);
                sudoers = null;
            }
            if (user != null) {
                // -f: a session still open (a test's leftover) does not keep the user
                local.run(HostCommand.of("userdel", "-f", user), TIMEOUT);
                user = null;
            }
        } catch (IOException | InterruptedException | HostCommandException e) {
            System.err.println("OpenSshHost cleanup: " + e);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        return parameter.getParameter().getType() == OpenSshHost.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        return this;
    }

    /** The host as hosts.json holds it: seed002 profile, the fixture's login and key, paths under {@link #root()}. */
    public HostEntry hostEntry() {
        List<HostEntry.InstanceEntry> instances = new ArrayList<>();
        ports.forEach((name, port) -> instances.add(new HostEntry.InstanceEntry(name, port)));
        return new HostEntry(hostName, ADDRESS, sshPort, loginUser(), clientKey.toString(), "seed002", variables(),
                instances);
    }

    /** The seed002 profile's paths set to this host's root; every command stays the profile's own. */
    public Map<String, String> variables() {
        String r = root.toString();
        Map<String, String> v = new HashMap<>();
        v.put("version", VERSION);
        v.put("dataDir", r + "/var/lib/postgresql/{version}/{instance}");
        v.put("walArchive", r + "/var/lib/postgresql/{version}/{instance}-wal-archive");
        v.put("baseBackups", r + "/var/backup/postgresql/{instance}");
        v.put("metricsDir", r + "/var/lib/node_exporter/textfile_collector");
        v.put("restorePointLog", r + "/var/lib/postgresql/{version}/pgdeck-restore-points-{instance}.jsonl");
        v.put("drillLog", r + "/var/lib/postgresql/{version}/pgdeck-drills-{instance}.jsonl");
        v.put("verifyTmp", r + "/var/tmp");
        v.put("resticRepo", r + "/var/backup/restic");
        v.put("resticPasswordFile", r + "/etc/restic/password");
        return v;
    }

    /** Writes a hosts.json (in a new directory of the fixture) holding {@link #hostEntry()}, and returns its path. */
    public Path writeInventory() throws Exception {
        Path file = Files.createTempDirectory(dir, "config-").resolve("pgdeck/hosts.json");
        Files.createDirectories(file.getParent());
        HostInventory.load(file).add(hostEntry());
        return file;
    }

    /** A new SSH connection to this host through pgdeck's own client (host key checked against {@link #knownHosts}). */
    public SshShell shell(CommandLog log) {
        return InventoryHosts.shell(hostEntry(), log, knownHosts, HostKeyPrompt.REFUSE, PassphraseSource.NONE);
    }

    public String hostName() {
        return hostName;
    }

    public String loginUser() {
        return user;
    }

    public int sshPort() {
        return sshPort;
    }

    public Path clientKey() {
        return clientKey;
    }

    /** A known_hosts file that trusts this sshd's host key and nothing else. */
    public Path knownHosts() {
        return knownHosts;
    }

    /** The directory that stands for {@code /} of the host's seed-002 layout. */
    public Path root() {
        return root;
    }

    public int port(String instance) {
        return ports.get(instance);
    }

    public Path dataDir(String instance) {
        return root.resolve("var/lib/postgresql/" + VERSION + "/" + instance);
    }

    public Path archive(String instance) {
        return root.resolve("var/lib/postgresql/" + VERSION + "/" + instance + "-wal-archive");
    }

    public Path backups(String instance) {
        return root.resolve("var/backup/postgresql/" + instance);
    }

    /** Runs {@code sql} on the instance as postgres (psql on the Unix socket); fails the test if it fails. */
    public String sql(String instance, String sql) throws HostCommandException {
        return require(asPostgres(PG_BIN + "/psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", SOCKET_DIR,
                "-p", Integer.toString(port(instance)), "-d", "postgres", "-c", sql)).stdout().strip();
    }

    /** Whether the instance answers SQL. */
    public boolean answers(String instance) throws HostCommandException {
        return asPostgres(PG_BIN + "/pg_isready", "-q", "-h", SOCKET_DIR, "-p", Integer.toString(port(instance)))
                .succeeded();
    }

    /** Switches WAL and waits until the finished segment is in the instance's archive; returns its name. */
    public String switchAndWait(String instance) throws Exception {
        String segment = sql(instance, "SELECT pg_walfile_name(pg_switch_wal())");
        ArchivingCluster.waitFor(() -> Files.exists(archive(instance).resolve(segment)), "segment " + segment
                + " archived");
        return segment;
    }

    /**
     * A seed-002 base backup of the instance as its timer takes one: {@code pg_basebackup -Ft -z -Xstream} as
     * postgres into {@code backups/<YYYYMMDD-HHMMSS>} (now, UTC; a second later if that exists); returns the label.
     */
    public String baseBackup(String instance) throws Exception {
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        String label = LABEL.format(now);
        while (Files.exists(backups(instance).resolve(label))) {
            now = now.plusSeconds(1);
            label = LABEL.format(now);
        }
        require(asPostgres(PG_BIN + "/pg_basebackup", "-h", SOCKET_DIR, "-p", Integer.toString(port(instance)),
                "-D", backups(instance).resolve(label).toString(), "-Ft", "-z", "-Xstream", "-c", "fast", "-l",
                "pgdeck " + label));
        return label;
    }

    /** The {@code systemctl} stand-in, run as root: {@code start|stop|is-active postgresql-<inst>.service}. */
    public CommandResult systemctl(String... args) throws HostCommandException {
        List<String> words = new ArrayList<>(List.of(bin.resolve("systemctl").toString()));
        words.addAll(List.of(args));
        return local.run(HostCommand.of(words), TIMEOUT);
    }

    /** A command run locally as postgres ({@code sudo -n -u postgres}), for set-up and checks. */
    public CommandResult asPostgres(String... words) throws HostCommandException {
        List<String> all = new ArrayList<>(List.of("sudo", "-n", "-u", "postgres"));
        all.addAll(List.of(words));
        return local.run(HostCommand.of(all), TIMEOUT);
    }

    /** A command run locally as root, for set-up and checks. */
    public CommandResult asRoot(String... words) throws HostCommandException {
        return local.run(HostCommand.of(List.of(words)), TIMEOUT);
    }

    public static CommandResult require(CommandResult r) {
        assertTrue(r.succeeded(), r.describeFailure());
        return r;
    }
}
