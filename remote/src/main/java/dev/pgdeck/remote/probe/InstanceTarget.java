package dev.pgdeck.remote.probe;

import dev.pgdeck.remote.pg.LoggedSql;

/** One instance to look at: its name and port, where its base backups are on the host, and SQL to its server. */
public record InstanceTarget(String name, int port, String baseBackupDir, LoggedSql sql) {
}
