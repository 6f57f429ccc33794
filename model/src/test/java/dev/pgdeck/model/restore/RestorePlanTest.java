package dev.pgdeck.model.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.restore.RestoreFixtures.PosixCommands;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestorePlanTest {
    private static final String HOSTILE = "x'; rm -rf / #$(id)";
    private static final LocalDateTime STARTED = LocalDateTime.of(2025, 10, 11, 14, 35, 2);

    private static RestoreRequest request(RestoreMode mode, String instance, String verify) {
        return new RestoreRequest("forge", instance, 5432, mode, RecoveryTarget.name("before_upgrade"), 1,
                RestoreFixtures.backup("20251011-020000", 2), "/var/lib/postgresql/16/" + instance,
                "/var/lib/postgresql/16/" + instance + "-wal-archive", "/var/backup/postgresql/" + instance
                        + "/20251011-020000", true, 54399, STARTED, verify, null);
    }

    private static RestoreRequest withTablespaces(RestoreRequest r, RestoreTablespaces tablespaces) {
        return new RestoreRequest(r.host(), r.instance(), r.port(), r.mode(), r.target(), r.timeline(), r.backup(),
                r.dataDir(), r.walArchive(), r.backupDir(), r.hasWalTar(), r.scratchPort(), r.startedAt(),
                r.verifySql(), r.restic(), false, r.verifyDatabase(), tablespaces);
    }

    private static final RestoreTablespaces TABLESPACES = new RestoreTablespaces(
            RestoreTablespaces.oidsIn(List.of("base.tar.gz", "16390.tar.gz", "16384.tar.gz", "pg_wal.tar.gz")),
            RestoreTablespaces.parseLinks("16384 /srv/ts one\n16390 /srv/ts2\nnot-an-oid /x\n"), true);

    @Test
    void inPlaceTheLiveTablespacesAreKeptBesideTheDataDirectoryAndTheBackupsExtractedIntoTheirLocations() {
        RestorePlan plan = new RestorePlanner(new PosixCommands()).plan(withTablespaces(
                request(RestoreMode.IN_PLACE, "main", null), TABLESPACES), List.of());
        assertEquals(List.of("Stop the instance", "Move the data directory aside", "Move the tablespaces aside",
                "Create a fresh data directory", "Extract the base backup", "Extract the tablespaces",
                "Extract the backup's WAL", "Set the backup's tablespace_map aside", "Write the recovery settings",
                "Signal recovery", "Start the instance", "Wait for promotion", "Clear the recovery settings",
                "Remove pgdeck's recovery marker"), plan.steps().stream().map(RestoreStep::name).toList());
        String aside = "/var/lib/postgresql/16/main.pre-restore-20251011-143502";
        assertEquals(List.of("test '!' -e '/srv/ts one.pre-restore-20251011-143502' && mv -- '/srv/ts one'"
                        + " '/srv/ts one.pre-restore-20251011-143502'",
                "ln -sfn -- '/srv/ts one.pre-restore-20251011-143502' " + aside + "/pg_tblspc/16384",
                "test '!' -e /srv/ts2.pre-restore-20251011-143502 && mv -- /srv/ts2 /srv/ts2.pre-restore-20251011-143502",
                "ln -sfn -- /srv/ts2.pre-restore-20251011-143502 " + aside + "/pg_tblspc/16390"),
                plan.steps().get(2).commands().stream().map(c -> c.shellLine()).toList());
        assertEquals(List.of("mkdir -m 700 -- '/srv/ts one'", "tar -xzf /var/backup/postgresql/main/20251011-020000/"
                        + "16384.tar.gz -C '/srv/ts one'",
                "ln -sfn -- '/srv/ts one' /var/lib/postgresql/16/main/pg_tblspc/16384", "mkdir -m 700 -- /srv/ts2",
                "tar -xzf /var/backup/postgresql/main/20251011-020000/16390.tar.gz -C /srv/ts2",
                "ln -sfn -- /srv/ts2 /var/lib/postgresql/16/main/pg_tblspc/16390"),
                plan.steps().get(5).commands().stream().map(c -> c.shellLine()).toList());
        assertEquals("/srv/ts2.pre-restore-20251011-143502", plan.kept("/srv/ts2"));
        assertEquals(List.of("rm -f -- /var/lib/postgresql/16/main/pgdeck-restore.started"), plan.toShellScript()
                .lines().filter(l -> l.contains("rm ")).toList(), "nothing is removed but pgdeck's own marker");

        RestorePlan back = new RestorePlanner(new PosixCommands()).swapBack(plan, STARTED.plusHours(1));
        assertEquals(List.of("Stop the instance", "Move the data directory aside",
                "Move the replaced data directory back", "Move the replaced tablespaces back", "Start the instance",
                "Wait until it accepts writes"), back.steps().stream().map(RestoreStep::name).toList());
        assertEquals("sh -c swap-tablespace-back sh /srv/ts2 /srv/ts2.pre-restore-20251011-143502"
                + " /srv/ts2.restored-20251011-153502 /var/lib/postgresql/16/main/pg_tblspc/16390"
                + " /var/lib/postgresql/16/main.restored-20251011-153502/pg_tblspc/16390",
                back.steps().get(3).commands().get(1).shellLine());
    }

    @Test
    void aDrillExtractsTheTablespacesIntoItsCopyAndNoCommandNamesALiveTablespace() {
        RestorePlan plan = new RestorePlanner(new PosixCommands()).plan(withTablespaces(
                request(RestoreMode.DRILL, "main", null), TABLESPACES), List.of());
        String script = plan.toShellScript();
        assertFalse(script.contains("/srv/ts"), script);
        String work = "/var/lib/postgresql/16/main.drill-20251011-143502";
        assertEquals(Map.of("16384", work + "/pgdeck-tablespaces/16384", "16390", work + "/pgdeck-tablespaces/16390"),
                plan.tablespaces());
        List<String> names = plan.steps().stream().map(RestoreStep::name).toList();
        assertTrue(names.indexOf("Extract the tablespaces") < names.indexOf("Verify the backup against its manifest"));
        assertEquals(names.indexOf("Verify the backup against its manifest") + 1,
                names.indexOf("Set the backup's tablespace_map aside"), "the map is checked, then set aside");
        assertTrue(names.indexOf("Set the backup's tablespace_map aside") < names.indexOf("Start the scratch server"));
        assertTrue(script.contains("ln -sfn -- " + work + "/pgdeck-tablespaces/16384 " + work + "/pg_tblspc/16384"));
    }

    @Test
    void inPlaceABackupTablespaceWithoutALiveLocationIsRefusedBeforeAnythingRuns() {
        RestoreTablespaces dropped = new RestoreTablespaces(List.of("16384", "17000"), Map.of("16384", "/srv/ts"),
                true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RestorePlanner(
                new PosixCommands()).plan(withTablespaces(request(RestoreMode.IN_PLACE, "main", null), dropped),
                List.of()));
        assertTrue(e.getMessage().startsWith("backup 20251011-020000 holds tablespace 17000, which the instance no"
                + " longer has"), e.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> new RestorePlanner(
                new PosixCommands()).plan(withTablespaces(request(RestoreMode.IN_PLACE, "main", null),
                new RestoreTablespaces(List.of("16384"), Map.of(), false)), List.of()));
        assertTrue(unknown.getMessage().contains("the instance's tablespace links could not be read"));
    }

    @Test
    void inPlacePlanMovesAsideNeverDeletesAndClearsTheTargetAfterPromotion() {
        RestorePlan plan = new RestorePlanner(new PosixCommands()).plan(request(RestoreMode.IN_PLACE, "main",
                "SELECT count(*) FROM t"), List.of());
        assertEquals(List.of("Stop the instance", "Move the data directory aside", "Create a fresh data directory",
                "Extract the base backup", "Extract the backup's WAL", "Write the recovery settings",
                "Signal recovery", "Start the instance", "Wait for promotion", "Clear the recovery settings",
                "Remove pgdeck's recovery marker", "Verify"), plan.steps().stream().map(RestoreStep::name).toList());
        assertEquals("/var/lib/postgresql/16/main.pre-restore-20251011-143502", plan.asideDir());
        assertEquals("test '!' -e /var/lib/postgresql/16/main.pre-restore-20251011-143502 && mv --"
                + " /var/lib/postgresql/16/main /var/lib/postgresql/16/main.pre-restore-20251011-143502",
                plan.steps().get(1).commands().get(0).shellLine());
        String script = plan.toShellScript();
        assertTrue(script.startsWith("#!/bin/sh\n"));
        assertTrue(script.contains("\nset -eu\n"));
        // an in-place restore removes nothing but its own marker file
        assertEquals(List.of("rm -f -- /var/lib/postgresql/16/main/pgdeck-restore.started"), script.lines()
                .filter(l -> l.contains("rm ")).toList(), script);
        // the settings file text, then as it stands in the script (inside one single-quoted shell word)
        String text = RestorePlanner.settingsText(plan.settings(), "20251011-143502");
        assertEquals("# pgdeck restore 20251011-143502: recovery settings\n"
                + "restore_command = 'cp /var/lib/postgresql/16/main-wal-archive/%f \"%p\"'\n"
                + "recovery_target_name = 'before_upgrade'\n"
                + "recovery_target_timeline = '1'\n"
                + "recovery_target_action = 'promote'\n", text);
        assertTrue(script.contains("recovery_target_timeline = '\"'\"'1'\"'\"'"), script);
        assertTrue(script.contains("until [ \"$(psql -X -A -t -p 5432 -c 'SELECT pg_is_in_recovery()' 2>/dev/null"
                + " || true)\" = f ]; do sleep 2; done"), script);
        assertTrue(script.contains("psql -X -A -t -p 5432 -c 'ALTER SYSTEM RESET recovery_target_name'"));
    }

    @Test
    void drillPlanUsesAScratchCopyOnItsOwnPortWithoutArchivingAndRemovesOnlyThat() {
        RestorePlan plan = new RestorePlanner(new PosixCommands()).plan(request(RestoreMode.DRILL, "main", null),
                List.of());
        assertNull(plan.asideDir());
        assertEquals("/var/lib/postgresql/16/main.drill-20251011-143502", plan.workDir());
        assertEquals(54399, plan.port());
        assertEquals("off", plan.settings().get("archive_mode"));
        assertEquals("54399", plan.settings().get("port"));
        List<RestoreStep> steps = plan.steps();
        assertEquals("Remove the scratch copy", steps.get(steps.size() - 1).name());
        assertEquals("rm -rf -- /var/lib/postgresql/16/main.drill-20251011-143502",
                steps.get(steps.size() - 1).commands().get(0).shellLine());
        assertTrue(steps.get(steps.size() - 1).cleanup());
        assertTrue(steps.stream().noneMatch(s -> s.name().startsWith("Stop the instance")));
        assertTrue(plan.toShellScript().contains("archive_mode = '\"'\"'off'\"'\"'"));
        assertThrows(IllegalArgumentException.class, () -> new RestorePlanner(new PosixCommands())
                .plan(new RestoreRequest("h", "main", 5432, RestoreMode.DRILL, RecoveryTarget.latest(), 1,
                        RestoreFixtures.backup("b", 2), "/d", "/a", "/b", false, 5432, STARTED, null, null), List.of()));
    }

    @Test
    void fromResticTheBaseBackupAndWalAreRestoredIntoStagingFirst() {
        RestoreRequest inPlace = new RestoreRequest("forge", "main", 5432, RestoreMode.IN_PLACE,
                RecoveryTarget.latest(), 1, RestoreFixtures.backup("20251011-020000", 2), "/var/lib/postgresql/16/main",
                "/var/lib/postgresql/16/main-wal-archive", "/var/backup/postgresql/main/20251011-020000", true, 0,
                STARTED, null, new ResticSource("abc123", "def456"));
        RestorePlan plan = new RestorePlanner(new PosixCommands()).plan(inPlace, List.of());
        String staging = "/var/lib/postgresql/16/main.restic-20251011-143502";
        assertEquals("restic -r /mnt/nas-backup restore abc123 --target " + staging
                + " --include /var/backup/postgresql/main/20251011-020000", plan.steps().get(1).commands().get(0)
                        .shellLine());
        assertEquals("Stop the instance", plan.steps().get(3).name(), "restic runs before the instance is stopped");
        assertEquals("tar -xzf " + staging + "/var/backup/postgresql/main/20251011-020000/base.tar.gz -C"
                + " /var/lib/postgresql/16/main", plan.steps().get(6).commands().get(0).shellLine());
        assertEquals("cp " + staging + "/var/lib/postgresql/16/main-wal-archive/%f \"%p\"",
                plan.settings().get("restore_command"));
        assertEquals("rm -rf -- " + staging, plan.steps().get(plan.steps().size() - 1).commands().get(0).shellLine());

        RestoreRequest drill = new RestoreRequest("forge", "main", 5432, RestoreMode.DRILL, RecoveryTarget.latest(),
                1, RestoreFixtures.backup("20251011-020000", 2), "/d/main", "/d/wal", "/b/x", true, 6000, STARTED,
                null, new ResticSource("abc123", "def456"));
        RestorePlan d = new RestorePlanner(new PosixCommands()).plan(drill, List.of());
        assertEquals("mkdir -m 700 -- /d/main.drill-20251011-143502/pgdeck-restic",
                d.steps().get(1).commands().get(0).shellLine(), "staging inside the scratch copy: removed with it");
        assertEquals("rm -rf -- /d/main.drill-20251011-143502",
                d.steps().get(d.steps().size() - 1).commands().get(0).shellLine());
    }

    @Test
    void aCancelMayStopOnlyStepsThatWriteIntoCopiesItGivesUp() {
        RestorePlanner planner = new RestorePlanner(new PosixCommands());
        RestorePlan drill = planner.plan(request(RestoreMode.DRILL, "main", null), List.of());
        String work = "/var/lib/postgresql/16/main.drill-20251011-143502";
        assertEquals(Map.of("Create the scratch data directory", work, "Extract the base backup", work,
                "Extract the backup's WAL", work, "Verify the backup against its manifest", work,
                "Write the recovery settings", work, "Signal recovery", work), interruptible(drill));

        RestorePlan inPlace = planner.plan(request(RestoreMode.IN_PLACE, "main", null), List.of());
        assertEquals(Map.of(), interruptible(inPlace), "in place, extraction runs to its end: the instance is down");

        RestorePlan fromRestic = planner.plan(new RestoreRequest("forge", "main", 5432, RestoreMode.IN_PLACE,
                RecoveryTarget.latest(), 1, RestoreFixtures.backup("20251011-020000", 2), "/d/main", "/d/wal", "/b/x",
                true, 0, STARTED, null, new ResticSource("abc123", "def456")), List.of());
        String staging = "/d/main.restic-20251011-143502";
        assertEquals(Map.of("Create the restic staging directory", staging, "Restore the base backup from restic",
                staging, "Restore the WAL archive from restic", staging), interruptible(fromRestic));
    }

    @Test
    void pausingAtTheTargetKeepsTheSettingsAndWaitsForThePause() {
        RestoreRequest r = request(RestoreMode.IN_PLACE, "main", null);
        RestoreRequest pause = new RestoreRequest(r.host(), r.instance(), r.port(), r.mode(), r.target(), r.timeline(),
                r.backup(), r.dataDir(), r.walArchive(), r.backupDir(), r.hasWalTar(), r.scratchPort(), r.startedAt(),
                r.verifySql(), r.restic(), true);
        RestorePlan plan = new RestorePlanner(new PosixCommands()).plan(pause, List.of());
        assertEquals("pause", plan.settings().get("recovery_target_action"));
        List<String> names = plan.steps().stream().map(RestoreStep::name).toList();
        assertTrue(names.contains("Wait until paused at the target"), names.toString());
        assertFalse(names.contains("Clear the recovery settings"), "a restart must stop at the target again");
        assertTrue(plan.toShellScript().contains("SELECT pg_get_wal_replay_pause_state()"), plan.toShellScript());
        assertTrue(plan.toShellScript().contains(" = paused ]; do sleep 2; done"), plan.toShellScript());

        IllegalArgumentException drill = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new RestoreRequest(r.host(), r.instance(), r.port(), RestoreMode.DRILL, r.target(), 1, r.backup(),
                        r.dataDir(), r.walArchive(), r.backupDir(), true, 54399, r.startedAt(), null, null, true));
        assertTrue(drill.getMessage().startsWith("pausing at the target is for an in-place restore"));
        IllegalArgumentException latest = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new RestoreRequest(r.host(), r.instance(), r.port(), r.mode(), RecoveryTarget.latest(), 1,
                        r.backup(), r.dataDir(), r.walArchive(), r.backupDir(), true, 0, r.startedAt(), null, null, true));
        assertTrue(latest.getMessage().contains("has no target to pause at"));
    }

    private static Map<String, String> interruptible(RestorePlan plan) {
        Map<String, String> steps = new java.util.LinkedHashMap<>();
        plan.steps().stream().filter(s -> s.interruptibleIn() != null)
                .forEach(s -> steps.put(s.name(), s.interruptibleIn()));
        return steps;
    }

    @Test
    void onAZfsDatasetTheDatasetIsRenamedAsideInsteadOfTheMountpoint() {
        RestorePlanner planner = new RestorePlanner(new PosixCommands());
        RestorePlan plan = planner.onZfsDataset(planner.plan(request(RestoreMode.IN_PLACE, "main", null), List.of()),
                new RestoreFixtures.Zfs(), "tank/services/postgresql/main");
        assertEquals(List.of("Stop the instance", "Snapshot the data set", "Move the data directory aside",
                "Create a fresh data directory", "Extract the base backup"),
                plan.steps().stream().map(RestoreStep::name).toList().subList(0, 5));
        assertEquals(List.of("zfs rename tank/services/postgresql/main"
                + " tank/services/postgresql/main-pre-restore-20251011-143502",
                "zfs set mountpoint=/var/lib/postgresql/16/main.pre-restore-20251011-143502"
                        + " tank/services/postgresql/main-pre-restore-20251011-143502"),
                plan.steps().get(2).commands().stream().map(c -> c.shellLine()).toList());
        assertEquals("zfs create -o mountpoint=/var/lib/postgresql/16/main tank/services/postgresql/main",
                plan.steps().get(3).commands().get(0).shellLine());
        for (String line : plan.toShellScript().split("\n")) {
            if (!line.startsWith("#")) {
                assertFalse(line.contains("destroy"), line);
                assertFalse(line.contains(" mv "), "a mountpoint is never moved with mv: " + line);
            }
        }
    }

    @Test
    void onAZfsDatasetTheTablespacesAreStillMovedAsideAndSwapBackMovesThemBack() {
        RestorePlanner planner = new RestorePlanner(new PosixCommands());
        String dataset = "tank/services/postgresql/main";
        RestorePlan plan = planner.onZfsDataset(planner.plan(withTablespaces(request(RestoreMode.IN_PLACE, "main",
                null), TABLESPACES), List.of()), new RestoreFixtures.Zfs(), dataset);
        assertEquals(List.of("Stop the instance", "Snapshot the data set", "Move the data directory aside",
                "Move the tablespaces aside", "Create a fresh data directory", "Extract the base backup",
                "Extract the tablespaces"), plan.steps().stream().map(RestoreStep::name).toList().subList(0, 7));
        assertEquals(Map.of("16384", "/srv/ts one", "16390", "/srv/ts2"), plan.replacedTablespaces());
        assertEquals(plan.replacedTablespaces(), plan.tablespaces());

        RestorePlan back = planner.swapBackOnZfs(plan, new RestoreFixtures.Zfs(), dataset, STARTED.plusHours(1));
        assertEquals(List.of("Stop the instance", "Move the restored data set aside",
                "Move the replaced data set back", "Move the replaced tablespaces back", "Start the instance",
                "Wait until it accepts writes"), back.steps().stream().map(RestoreStep::name).toList());
        assertEquals("sh -c swap-tablespace-back sh '/srv/ts one' '/srv/ts one.pre-restore-20251011-143502'"
                + " '/srv/ts one.restored-20251011-153502' /var/lib/postgresql/16/main/pg_tblspc/16384"
                + " /var/lib/postgresql/16/main.restored-20251011-153502/pg_tblspc/16384",
                back.steps().get(3).commands().get(0).shellLine());
    }

    @Test
    void aHostileInstanceNameStaysALiteralInTheScript() {
        RestorePlan plan = new RestorePlanner(new PosixCommands()).plan(request(RestoreMode.IN_PLACE, HOSTILE,
                "SELECT 1"), List.of("a warning\nrm -rf /"));
        String script = plan.toShellScript();
        String quotedDir = "'/var/lib/postgresql/16/x'\"'\"'; rm -rf / #$(id)'";
        assertTrue(script.contains("mkdir -m 700 -- " + quotedDir + "\n"), script);
        String marker = "rm -f -- '/var/lib/postgresql/16/x'\"'\"'; rm -rf / #$(id)/pgdeck-restore.started'";
        for (String line : script.split("\n")) {
            assertFalse(line.startsWith("rm") && !line.equals(marker), "a value broke out of its quotes: " + line);
        }
        // every command line carries the name only inside single quotes
        for (String line : script.split("\n")) {
            if (!line.startsWith("#") && line.contains("rm -rf")) {
                assertTrue(line.contains("'\"'\"'; rm -rf / #$(id)"), line);
            }
        }
    }

    @Test
    void aValueTheConfigurationCannotHoldRefusesThePlanSoNothingRunsAndProductionIsNeverStopped() {
        RestoreRequest r = request(RestoreMode.IN_PLACE, "main", null);
        RestoreRequest nul = new RestoreRequest(r.host(), r.instance(), r.port(), r.mode(), r.target(), r.timeline(),
                r.backup(), r.dataDir(), "/srv/wal\0archive", r.backupDir(), r.hasWalTar(),
                r.scratchPort(), r.startedAt(), null, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RestorePlanner(new PosixCommands()).plan(nul, List.of()));
        assertTrue(e.getMessage().startsWith("restore_command: ") && e.getMessage().contains("NUL character")
                && !e.getMessage().contains("\n"), e.getMessage());
        // a name the server would refuse at startup (64 bytes or more) is refused as the target is read
        assertThrows(IllegalArgumentException.class, () -> RecoveryTarget.name("é".repeat(32)));
        assertEquals("name " + "é".repeat(31), RecoveryTarget.name("é".repeat(31)).describe());
        assertThrows(IllegalArgumentException.class, () -> RecoveryTarget.name("a\0b"));
    }

    @Test
    void recoverySettingsAreWrittenWithBackslashesEscaped() {
        RestoreRequest r = request(RestoreMode.DRILL, "main", null);
        RestoreRequest named = new RestoreRequest(r.host(), r.instance(), r.port(), r.mode(),
                RecoveryTarget.name("ends\\"), r.timeline(), r.backup(), r.dataDir(), "/srv/x\\047;id;\\047y",
                r.backupDir(), r.hasWalTar(), r.scratchPort(), r.startedAt(), null, null);
        String text = RestorePlanner.settingsText(RestorePlanner.settings(named, named.walArchive(), true), "s");
        assertTrue(text.contains("recovery_target_name = 'ends\\\\'\n"), text);
        assertTrue(text.contains("restore_command = 'cp ''/srv/x\\\\047;id;\\\\047y/%f'' \"%p\"'\n"), text);
    }

    @Test
    void aDrillOnAHostWithItsConfigurationOutsideTheDataDirectoryWritesAMinimalOneBeforeTheRecoverySettings() {
        RestorePlan plan = new RestorePlanner(new RestoreFixtures.ConfigOutsideCommands()).plan(
                request(RestoreMode.DRILL, "main", null), List.of());
        List<String> names = plan.steps().stream().map(RestoreStep::name).toList();
        assertEquals(List.of("Create the scratch data directory", "Extract the base backup", "Extract the backup's WAL",
                "Verify the backup against its manifest", "Write a minimal server configuration",
                "Write the recovery settings", "Signal recovery", "Start the scratch server", "Wait for promotion",
                "Stop the scratch server", "Remove the scratch copy"), names);
        RestoreStep config = plan.steps().get(4);
        String work = "/var/lib/postgresql/16/main.drill-20251011-143502";
        assertEquals(List.of(work + "/postgresql.conf", work + "/pg_hba.conf", work + "/pg_ident.conf"),
                config.commands().stream().map(c -> c.shellLine().substring(c.shellLine().lastIndexOf(' ') + 1))
                        .toList());
        ScratchServerConfig minimal = new ScratchServerConfig("/var/run/postgresql", "postgres");
        String conf = minimal.postgresqlConf("20251011-143502");
        assertTrue(conf.contains("\nlisten_addresses = ''\nunix_socket_directories = '/var/run/postgresql'\n"
                + "archive_mode = off\n"), conf);
        for (String line : conf.split("\n")) {
            if (!line.startsWith("#")) {
                assertFalse(line.contains("data_directory") || line.contains("include") || line.contains("/etc/"),
                        "never the production configuration: " + line);
            }
        }
        assertEquals("# pgdeck drill: only the server's own OS user, over the Unix socket (peer); no TCP\n"
                + "local all postgres peer\n", minimal.hbaConf());
        // the dry-run script shows it, each file's text one quoted word
        String script = plan.toShellScript();
        assertTrue(script.contains("\n# 5. Write a minimal server configuration\n"), script);
        assertTrue(script.contains("local all postgres peer\n' " + work + "/pg_hba.conf\n"), script);
        // a drill's server logs into its copy: its marker is a plain file, not the instance log's size
        assertEquals("touch -- " + work + "/pgdeck-restore.started", plan.steps().get(6).commands().get(0).shellLine());
    }

    @Test
    void inPlaceTheMarkerRecordsTheInstanceLogsSizeAndNoScratchConfigurationIsWritten() {
        RestorePlan plan = new RestorePlanner(new RestoreFixtures.ConfigOutsideCommands()).plan(
                request(RestoreMode.IN_PLACE, "main", null), List.of());
        assertTrue(plan.steps().stream().noneMatch(s -> s.name().equals("Write a minimal server configuration")));
        RestoreStep signal = plan.steps().stream().filter(s -> s.name().equals("Signal recovery")).findFirst()
                .orElseThrow();
        assertEquals("sh -c 'stat -c %s -- \"$2\" > \"$1\" || echo 0 > \"$1\"' sh"
                + " /var/lib/postgresql/16/main/pgdeck-restore.started /var/log/postgresql/postgresql-16-main.log",
                signal.commands().get(0).shellLine());
        // hosts whose backups carry their configuration plan no such step and touch the marker
        RestorePlan plain = new RestorePlanner(new PosixCommands()).plan(request(RestoreMode.DRILL, "main", null),
                List.of());
        assertTrue(plain.steps().stream().noneMatch(s -> s.name().equals("Write a minimal server configuration")));
    }

    @Test
    void aScratchConfigurationRefusesValuesThatWouldNotStayOneWord() {
        IllegalArgumentException user = assertThrows(IllegalArgumentException.class,
                () -> new ScratchServerConfig("/var/run/postgresql", "all\nhost all all 0.0.0.0/0 trust"));
        assertTrue(user.getMessage().startsWith("the server's OS user must be a plain name"), user.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ScratchServerConfig("relative/dir", "postgres"));
        assertThrows(IllegalArgumentException.class, () -> new ScratchServerConfig("/run\nlisten_addresses='*'",
                "postgres"));
        assertEquals("unix_socket_directories = '/tmp/it''s'", new ScratchServerConfig("/tmp/it's", "postgres")
                .postgresqlConf("x").lines().filter(l -> l.startsWith("unix_socket")).findFirst().orElseThrow());
    }
}
