package dev.pgdeck.remote.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Host variables are typed; a value that would be read as an option never gets into the inventory (issue 13, 4). */
class HostVariablesTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
            metricsDir         | /var/lib/node_exporter/textfile_collector
            dataDir            | /srv/pg/{version}/{instance}
            postgresService    | postgresql@{version}-{instance}.service
            zfsRoot            | tank/{instance}
            dataDir            | /srv/pg data/main
            root               | /
            pgBin              | /usr/lib/postgresql/16/bin
            resticPasswordFile | /run/secrets/restic/password
            pgVerifyBackup     | pg_verifybackup
            pgVerifyBackup     | /usr/lib/postgresql/16/bin/pg_verifybackup
            resticRepo         | /mnt/nas-backup
            resticRepo         | sftp:backup@nas:/srv/restic
            resticRepo         | s3:https://s3.example.com/bucket
            zfsPool            | tank
            zfsRoot            | tank/services/postgresql
            zfsReplicaRoot     | backup/forge-1/postgresql
            zfsReplicaHost     | root@nas-1
            pgHost             | 127.0.0.1
            postgresService    | postgresql@16-main.service
            baseBackupTimer    | postgresql-basebackup-main.timer
            version            | 16
            serverUser         | postgres
            userNs             | -U
            userNs             | --
            """)
    void goodValuesAreAccepted(String name, String value) {
        assertNull(HostVariables.problem(name, value));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
            metricsDir         | -delete                    | is not an absolute path (starting with /); a value starting with - would be read as an option
            metricsDir         | var/lib/metrics            | is not an absolute path
            dataDir            | {instance}/data            | is not an absolute path
            postgresService    | {instance}.service         | is not a systemd unit name
            metricsDir         | ''                         | is not an absolute path
            dataDir            | --help                     | would be read as an option
            walArchive         | '/a\\nb'                   | is not an absolute path
            pgVerifyBackup     | -exec                      | is not a program name or an absolute path; a value starting with - would
            resticRepo         | --insecure-tls             | is not a restic repository
            resticRepo         | relative/repo              | is not a restic repository
            zfsPool            | -r                         | is not a ZFS dataset name
            zfsRoot            | tank//x                    | is not a ZFS dataset name
            zfsRoot            | tank/x y                   | is not a ZFS dataset name
            zfsReplicaRoot     | -o                         | is not a ZFS dataset name
            zfsReplicaHost     | -oProxyCommand=touch /tmp/x | is not a host name
            pgHost             | -h                         | is not a host name
            postgresService    | --now                      | is not a systemd unit name
            postgresService    | postgresql-main            | is not a systemd unit name
            version            | 16; rm -rf /               | is not a number
            version            | -1                         | is not a number
            serverUser         | -u                         | is not a user name
            userNs             | -r                         | is not -U
            metricsdir         | /var/lib/metrics           | unknown variable, expected one of [baseBackupService,
            resticPassword     | hunter2                    | pgdeck never stores secrets
            """)
    void badValuesAreRefusedWithOneLineThatNamesTheVariable(String name, String value, String expected) {
        String problem = HostVariables.problem(name, value.replace("\\n", "\n"));
        assertTrue(problem != null && problem.startsWith("variables." + name + ": ") && problem.contains(expected),
                problem);
        assertEquals(1, problem.lines().count(), problem);
        if (name.equals("resticPassword")) {
            assertTrue(!problem.contains("hunter2"), "a secret is not repeated: " + problem);
        }
    }

    @Test
    void theBuiltInProfilesOwnValuesAreWellTyped() {
        for (String name : HostProfile.BUILT_IN) {
            HostProfile profile = HostProfile.builtIn(name);
            profile.variables().forEach((key, value) -> assertNull(HostVariables.problem(key, value), name + "/" + key));
            // every path and unit a host may override is typed
            for (String key : profile.paths().keySet()) {
                assertTrue(HostVariables.kind(key) != null, name + ": paths." + key + " has no type");
            }
            for (String key : profile.units().keySet()) {
                assertEquals(HostVariables.Kind.UNIT, HostVariables.kind(key), name + ": units." + key);
            }
        }
    }

    @Test
    void anOptionLikePathInHostsJsonIsRefusedAtLoadWithLineAndColumn() throws Exception {
        Path file = dir.resolve("hosts.json");
        String text = "{\"version\": 1, \"hosts\": [{\"name\": \"forge\", \"address\": \"forge\", \"port\": 22,\n"
                + "  \"user\": \"ryan\", \"profile\": \"seed002\", \"variables\": {\"version\": \"16\",\n"
                + "    \"metricsDir\": \"-delete\"},\n"
                + "  \"instances\": [{\"name\": \"main\", \"port\": 5432}]}]}\n";
        Files.writeString(file, text);

        InventoryException e = assertThrows(InventoryException.class, () -> HostInventory.load(file));

        assertEquals(file + ", line 3, column 19: variables.metricsDir: \"-delete\" is not an absolute path"
                + " (starting with /); a value starting with - would be read as an option. The file was not changed.",
                e.getMessage());
        assertEquals(text, Files.readString(file));
    }

    @Test
    void aVariableOfTheWrongJsonTypeOrAnUnknownOneIsNamedWithItsPlace() throws Exception {
        Path file = dir.resolve("hosts.json");
        Files.writeString(file, "{\"version\": 1, \"hosts\": [{\"name\": \"forge\", \"address\": \"forge\", \"port\": 22,"
                + " \"user\": \"ryan\", \"profile\": \"seed002\",\n \"variables\": {\"version\": 16},"
                + " \"instances\": [{\"name\": \"main\", \"port\": 5432}]}]}");
        InventoryException number = assertThrows(InventoryException.class, () -> HostInventory.load(file));
        assertTrue(number.getMessage().contains("line 2, column ")
                && number.getMessage().contains("variables.version: expected a text value (\"...\"), got a number"),
                number.getMessage());

        Files.writeString(file, Files.readString(file).replace("{\"version\": 16}", "{\"metrics_dir\": \"/x\"}"));
        InventoryException unknown = assertThrows(InventoryException.class, () -> HostInventory.load(file));
        assertTrue(unknown.getMessage().contains("line 2, column ")
                && unknown.getMessage().contains("variables.metrics_dir: unknown variable, expected one of ["),
                unknown.getMessage());
    }

    @Test
    void theFormCannotSaveAnOptionLikeValueEither() throws Exception {
        HostInventory inv = HostInventory.load(dir.resolve("hosts.json"));
        HostEntry bad = new HostEntry("forge", "forge", 22, "ryan", null, "seed002", Map.of("baseBackups", "-rf"),
                List.of(new HostEntry.InstanceEntry("main", 5432)));
        InventoryException e = assertThrows(InventoryException.class, () -> inv.add(bad));
        assertEquals("host 1 (\"forge\"): variables.baseBackups: \"-rf\" is not an absolute path (starting with /);"
                + " a value starting with - would be read as an option", e.getMessage());
        assertTrue(!Files.exists(dir.resolve("hosts.json")));
    }
}
