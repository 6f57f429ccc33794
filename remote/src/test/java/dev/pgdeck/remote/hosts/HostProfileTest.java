package dev.pgdeck.remote.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.HostCommand;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostProfileTest {
    @Test
    void everyBuiltInProfileLoadsAndEveryCommandExpands() {
        for (String name : HostProfile.BUILT_IN) {
            HostProfile p = HostProfile.builtIn(name);
            assertEquals(name, p.name());
            Map<String, String> v = p.values(Map.of("root", "/srv/sandbox", "pgBin", "/usr/lib/postgresql/15/bin"),
                    "main", 5432);
            v.put("backupName", "20251011-120000");
            v.put("backup", "20251011-120000");
            v.put("zfsReplicaRoot", "backup/forge/postgresql");
            v.put("zfsReplicaHost", "nas-1");
            for (String command : p.commands().keySet()) {
                // per-call values: the SQL, a log line, and what the restore commands take (issue 4)
                HostCommand c = p.command(command, v, Map.ofEntries(Map.entry("sql", "SELECT 1"),
                        Map.entry("line", "{}"), Map.entry("tarball", "/b/base.tar.gz"), Map.entry("dir", "/d"),
                        Map.entry("file", "/d/f"), Map.entry("text", "x = 1"), Map.entry("from", "/a"),
                        Map.entry("to", "/b"), Map.entry("logFile", "/d/log"), Map.entry("marker", "/d/m"),
                        Map.entry("snapshot", "abc"), Map.entry("target", "/t"), Map.entry("include", "/i"),
                        Map.entry("path", "/p"), Map.entry("dataset", "tank/x"), Map.entry("mountpoint", "/m"),
                        Map.entry("manifest", "/b/backup_manifest"), Map.entry("pattern", "[/]d"),
                        Map.entry("link", "/d/pg_tblspc/16384"),
                        Map.entry("location", "/ts"), Map.entry("kept", "/ts.k"), Map.entry("restoredKeep", "/ts.r"),
                        Map.entry("restoredLink", "/r/pg_tblspc/16384"),
                        Map.entry("segment", "000000010000000000000001"),
                        Map.entry("walDumpOptions", "--rmgr=Transaction"), Map.entry("database", "analytics")));
                assertFalse(c.shellLine().contains("{instance}"), name + "/" + command + ": " + c);
            }
            assertTrue(p.has("sql") && p.has("archiveListing") && p.has("baseBackupFiles"), name);
        }
    }

    @Test
    void seed002FollowsTheSeedLayout() {
        HostProfile p = HostProfile.builtIn("seed002");
        Map<String, String> v = p.values(Map.of(), "analytics", 5434);

        assertEquals("/var/lib/postgresql/16/analytics", v.get("dataDir"));
        assertEquals("/var/lib/postgresql/16/analytics-wal-archive", v.get("walArchive"));
        assertEquals("/var/backup/postgresql/analytics", v.get("baseBackups"));
        assertEquals("postgresql-basebackup-analytics.service", v.get("baseBackupService"));
        assertEquals(List.of("tank/services/postgresql/analytics", "tank/services/postgresql/analytics-wal"),
                p.zfsDatasets(v));
        assertEquals("sudo -n -u postgres find /var/lib/postgresql/16/analytics-wal-archive -maxdepth 1 -type f"
                + " -printf '%f %s %T@\\n'", p.command("archiveListing", v).shellLine());
        assertEquals("zfs list -H -p -t snapshot -o name,creation,used,refer", p.command("zfsSnapshots", v).shellLine());
        assertEquals("/var/lib/postgresql/15/main", HostProfile.builtIn("debian").values(Map.of(), "main", 5432)
                .get("dataDir"));
    }

    @Test
    void valuesAreQuotedAndNeverExpandedAgain() {
        HostProfile p = HostProfile.builtIn("seed002");
        Map<String, String> v = p.values(Map.of("version", "{instance}"), "main; touch /tmp/pwned", 5432);

        String line = p.command("archiveListing", v).shellLine();

        assertTrue(line.contains(" '/var/lib/postgresql/{instance}/main; touch /tmp/pwned-wal-archive' "), line);
    }

    @Test
    void aHostsOwnPathIsATemplateExpandedOnceWithTheInstance() {
        HostProfile p = HostProfile.builtIn("seed002");
        Map<String, String> host = Map.of("version", "15", "dataDir", "/srv/x/var/lib/postgresql/{version}/{instance}",
                "walArchive", "/srv/x/wal/{instance}", "baseBackups", "/srv/plain");

        Map<String, String> v = p.values(host, "dev{version}", 5433);

        assertEquals("/srv/x/var/lib/postgresql/15/dev{version}", v.get("dataDir"));
        assertEquals("/srv/x/wal/dev{version}", v.get("walArchive"));
        assertEquals("/srv/plain", v.get("baseBackups"));
        assertEquals("/var/lib/postgresql/15/pgdeck-drills-dev{version}.jsonl", v.get("drillLog"));
    }

    @Test
    void aMissingValueNamesTheCommandAndThePlaceholder() {
        HostProfile p = HostProfile.builtIn("sandbox");
        Map<String, String> v = p.values(Map.of(), "main", 5432);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.command("archiveListing", v));

        assertEquals("host profile sandbox: command archiveListing uses {walArchive}, which has no value here (set it in"
                + " the host's variables)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HostProfile.builtIn("centos"));
    }
}
