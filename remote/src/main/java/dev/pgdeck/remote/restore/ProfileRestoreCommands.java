package dev.pgdeck.remote.restore;

import dev.pgdeck.model.HostCommand;
import dev.pgdeck.model.restore.CommandLinePattern;
import dev.pgdeck.model.restore.RestoreCommands;
import dev.pgdeck.model.restore.ScratchServerConfig;
import dev.pgdeck.model.restore.ZfsCommands;
import dev.pgdeck.remote.hosts.HostProfile;
import java.util.Map;

/** The restore commands of one instance, built from its host profile's templates (each value one quoted word). */
public final class ProfileRestoreCommands implements RestoreCommands, ZfsCommands {
    private final HostProfile profile;
    private final Map<String, String> values;

    /** @param values the instance's profile values ({@link HostProfile#values}) */
    public ProfileRestoreCommands(HostProfile profile, Map<String, String> values) {
        this.profile = profile;
        this.values = Map.copyOf(values);
    }

    HostCommand command(String name, Map<String, String> extra) {
        return profile.command(name, values, extra);
    }

    @Override
    public HostCommand stopInstance() {
        return command("restoreStop", Map.of());
    }

    @Override
    public HostCommand startInstance() {
        return command("restoreStart", Map.of());
    }

    @Override
    public HostCommand startScratch(String dataDir, String logFile) {
        return command("scratchStart", Map.of("dir", dataDir, "logFile", logFile));
    }

    @Override
    public HostCommand stopScratch(String dataDir) {
        return command("scratchStop", Map.of("dir", dataDir));
    }

    @Override
    public HostCommand moveAside(String from, String to) {
        return command("moveAside", Map.of("from", from, "to", to));
    }

    @Override
    public HostCommand linkTablespace(String target, String link) {
        return command("linkTablespace", Map.of("target", target, "link", link));
    }

    @Override
    public HostCommand swapTablespaceBack(String location, String kept, String restoredKeep, String link,
                                          String restoredLink) {
        return command("swapTablespaceBack", Map.of("location", location, "kept", kept, "restoredKeep", restoredKeep,
                "link", link, "restoredLink", restoredLink));
    }

    @Override
    public HostCommand makeDataDir(String dir) {
        return command("makeDataDir", Map.of("dir", dir));
    }

    @Override
    public HostCommand extract(String tarball, String dir) {
        return command("extract", Map.of("tarball", tarball, "dir", dir));
    }

    @Override
    public HostCommand append(String file, String text) {
        return command("appendFile", Map.of("file", file, "text", text));
    }

    @Override
    public HostCommand touch(String file) {
        return command("touchFile", Map.of("file", file));
    }

    @Override
    public HostCommand removeFile(String file) {
        return command("removeFile", Map.of("file", file));
    }

    /** The profile's {@code markRecoveryStart} (it records the instance log's size), else a plain touch. */
    @Override
    public HostCommand markRecoveryStart(String marker) {
        return profile.has("markRecoveryStart") ? command("markRecoveryStart", Map.of("file", marker)) : touch(marker);
    }

    /**
     * Profiles whose hosts keep the configuration outside the data directory (Debian) have a
     * {@code writeScratchConfig} command; the socket directory and the server's user are their values
     * {@code socketDir} and {@code serverUser} (default postgres).
     */
    @Override
    public ScratchServerConfig scratchConfig() {
        if (!profile.has("writeScratchConfig")) {
            return null;
        }
        return new ScratchServerConfig(values.get("socketDir"), values.getOrDefault("serverUser", "postgres"));
    }

    @Override
    public HostCommand writeScratchConfig(String file, String text) {
        return command("writeScratchConfig", Map.of("file", file, "text", text));
    }

    @Override
    public HostCommand removeScratch(String dir) {
        return command("removeScratch", Map.of("dir", dir));
    }

    @Override
    public HostCommand verifyBackup(String manifest, String dir) {
        return command("verifyExtractedBackup", Map.of("manifest", manifest, "dir", dir));
    }

    @Override
    public HostCommand resticRestore(String snapshot, String target, String include) {
        return command("resticRestore", Map.of("snapshot", snapshot, "target", target, "include", include));
    }

    @Override
    public HostCommand sql(int port, String sql) {
        return command("sqlAtPort", Map.of("port", Integer.toString(port), "sql", sql));
    }

    /** The profile's {@code verifySqlAtPort}: psql with default_transaction_read_only on, in {@code database}. */
    @Override
    public HostCommand verifyQuery(int port, String database, String statement) {
        if (!profile.has("verifySqlAtPort")) {
            throw new IllegalArgumentException("the host profile has no verifySqlAtPort command, so a verification"
                    + " query cannot be run read-only in a chosen database");
        }
        return command("verifySqlAtPort", Map.of("port", Integer.toString(port), "database", database, "sql",
                statement));
    }

    /**
     * The restored server's log lines written since recovery started: files in the data directory newer than the
     * marker and, where the profile has an instance log outside it (Debian), that log from the size the marker holds.
     */
    public HostCommand serverLog(String dataDir, String marker) {
        return command("serverLog", Map.of("dir", dataDir, "marker", marker));
    }

    /** Ends every process whose command line holds {@code dir} (TERM, then KILL), waiting until none is left. */
    public HostCommand stopProcessesIn(String dir) {
        return command("stopProcessesIn", Map.of("pattern", CommandLinePattern.containing(dir)));
    }

    /** {@code pg_ctl status} of the server on {@code dataDir}: exit 3 when no server runs there. */
    public HostCommand serverStatus(String dataDir) {
        return command("serverStatus", Map.of("dir", dataDir));
    }

    public boolean canCheckServer() {
        return profile.has("serverStatus");
    }

    public boolean canStopProcesses() {
        return profile.has("stopProcessesIn");
    }

    public HostCommand diskFree(String dir) {
        return command("diskFree", Map.of("dir", dir));
    }

    public HostCommand portListeners(int port) {
        return command("portListeners", Map.of("port", Integer.toString(port)));
    }

    public HostCommand testGzip(String file) {
        return command("testGzip", Map.of("file", file));
    }

    public HostCommand writable(String dir) {
        return command("writable", Map.of("dir", dir));
    }

    public HostCommand instanceState() {
        return command("instanceState", Map.of());
    }

    @Override
    public HostCommand snapshot(String snapshot) {
        return command("zfsSnapshotCreate", Map.of("snapshot", snapshot));
    }

    @Override
    public HostCommand rename(String from, String to) {
        return command("zfsRename", Map.of("from", from, "to", to));
    }

    @Override
    public HostCommand setMountpoint(String dataset, String mountpoint) {
        return command("zfsSetMountpoint", Map.of("dataset", dataset, "mountpoint", mountpoint));
    }

    @Override
    public HostCommand cloneAt(String snapshot, String dataset, String mountpoint) {
        return command("zfsClone", Map.of("snapshot", snapshot, "dataset", dataset, "mountpoint", mountpoint));
    }

    @Override
    public HostCommand create(String dataset, String mountpoint) {
        return command("zfsCreate", Map.of("dataset", dataset, "mountpoint", mountpoint));
    }

    @Override
    public HostCommand ownDataDir(String dir) {
        return command("zfsOwnDataDir", Map.of("dir", dir));
    }

    public String value(String key) {
        return values.get(key);
    }
}
