package dev.pgdeck.app.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.app.TestWindows;
import dev.pgdeck.app.common.Formats;
import dev.pgdeck.app.main.MainViewModel;
import dev.pgdeck.app.main.SandboxConsoleHosts;
import dev.pgdeck.model.CommandLogEntry;
import dev.pgdeck.model.HostStatus;
import dev.pgdeck.model.InstanceStatus;
import dev.pgdeck.model.overview.BaseBackupSummary;
import dev.pgdeck.model.zfs.ZfsSnapshot;
import dev.pgdeck.remote.drill.DrillRecord;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.restore.DrillLog;
import dev.pgdeck.remote.sandbox.SandboxHost;
import dev.pgdeck.remote.sandbox.SandboxInstance;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The host view's checks against the real sandbox: Verify runs pg_verifybackup on the sandbox's real backup (its
 * command in the command log, the result kept across a refresh), the Replicated column follows the recorded
 * replication target, and a drill written to the real drill log shows in the Overview and the instances table.
 */
@ExtendWith(ApplicationExtension.class)
class HostChecksWindowTest {
    private static final CommandLog LOG = new CommandLog();
    @RegisterExtension
    static final TestWindows.ClassSandbox SANDBOX = new TestWindows.ClassSandbox(LOG);
    private TestWindows.RecordingHosts hosts;
    private MainViewModel viewModel;

    @Start
    void start(Stage stage) {
        hosts = new TestWindows.RecordingHosts(SANDBOX.get());
        viewModel = TestWindows.open(stage, LOG, hosts);
        viewModel.startUp();
    }

    @Test
    void verifyChecksTheSelectedBackupAndKeepsItsResultAcrossARefresh(FxRobot robot) throws Exception {
        waitForHosts();
        InstanceStatus main = hosts.probed().instances().get(0);
        tab(robot, "Base backups");
        TableView<BaseBackupSummary> backups = robot.lookup("#backupTable").queryTableView();
        TableColumn<BaseBackupSummary, ?> verified = column(backups, "Verified");
        String label = backups.getItems().get(0).label();
        assertEquals("not verified yet", verified.getCellData(0));
        assertTrue(robot.lookup("#verifyBackupButton").query().isDisabled(), "nothing selected yet");
        String expected = new SandboxConsoleHosts(SANDBOX.get()).actions("sandbox").orElseThrow()
                .planVerifyBackup("main", main.port(), label).command().shellLine();

        robot.interact(() -> backups.getSelectionModel().select(0));
        assertEquals(label, backups.getSelectionModel().getSelectedItem().label());
        int before = LOG.entries().size();
        robot.clickOn("#verifyBackupButton");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !viewModel.busyProperty().get()
                && !List.of("verifying…", "not verified yet").contains(String.valueOf(verified.getCellData(0))));
        assertEquals("Base backup " + label + " verified: ok", viewModel.statusTextProperty().get());
        assertEquals("ok (WAL checked in the backup)", verified.getCellData(0),
                "the sandbox's backups are -Xstream tars: base.tar.gz and pg_wal.tar.gz");
        assertEquals("not verified yet", verified.getCellData(1), "only the selected backup was verified");
        List<CommandLogEntry> after = LOG.entries().subList(before, LOG.entries().size());
        assertTrue(after.stream().anyMatch(e -> e.kind() == CommandLogEntry.Kind.COMMAND && e.text().equals(expected)
                && e.outcome().equals("started")), "shown as it starts");
        assertTrue(after.stream().anyMatch(e -> e.kind() == CommandLogEntry.Kind.COMMAND && e.text().equals(expected)
                && e.outcome().equals("exit 0")), "and as it ended");
        assertTrue(after.stream().anyMatch(e -> e.kind() == CommandLogEntry.Kind.OUTPUT
                && e.text().equals("backup successfully verified")), after.toString());

        HostStatus first = hosts.probed();
        robot.interact(viewModel::refresh);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> hosts.probed() != first
                && !viewModel.busyProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        TableView<BaseBackupSummary> again = robot.lookup("#backupTable").queryTableView();
        assertEquals(label, again.getItems().get(0).label());
        assertEquals("ok (WAL checked in the backup)", column(again, "Verified").getCellData(0),
                "kept for the session, not lost by the refresh");
    }

    @Test
    void theReplicatedColumnFollowsTheRecordedReplicationTarget(FxRobot robot) throws Exception {
        waitForHosts();
        InstanceStatus main = hosts.probed().instances().get(0);
        tab(robot, "ZFS snapshots");
        TableView<ZfsSnapshot> zfs = robot.lookup("#zfsTable").queryTableView();
        assertEquals(main.zfsSnapshots(), zfs.getItems());
        TableColumn<ZfsSnapshot, ?> replicated = column(zfs, "Replicated");
        List<Object> shown = new java.util.ArrayList<>();
        for (int row = 0; row < zfs.getItems().size(); row++) {
            shown.add(replicated.getCellData(row));
        }
        assertEquals(main.zfsSnapshots().stream().map(z -> z.replicated() == null ? "—"
                : z.replicated() ? "yes" : "no").toList(), shown);
        assertTrue(shown.contains("yes") && shown.contains("no"), "the fixture's target lacks the newest: " + shown);
        long yes = shown.stream().filter("yes"::equals).count();
        long compared = shown.stream().filter(s -> !"—".equals(s)).count();
        String note = robot.lookup("#zfsNote").queryAs(Label.class).getText();
        assertTrue(note.startsWith(yes + " of " + compared + " replicated to backup/forge/postgresql; "), note);
        assertTrue(note.contains("newest not yet"), note);
    }

    @Test
    void aDrillInTheDrillLogShowsInTheOverviewAndTheInstancesTable(FxRobot robot) throws Exception {
        waitForHosts();
        SandboxHost sandbox = SANDBOX.get();
        SandboxInstance current = sandbox.instance().orElseThrow();
        HostProfile profile = HostProfile.builtIn(SandboxHost.PROFILE);
        java.util.Map<String, String> values = profile.values(sandbox.profileValues(current), current.name(),
                current.port());
        DrillLog drills = new DrillLog(sandbox.sandbox().shell(), profile, values, Clock.systemUTC());
        // other tests drill this sandbox too: its log is set aside so this record is the newest, and put back after
        java.nio.file.Path logFile = java.nio.file.Path.of(values.get("drillLog"));
        java.nio.file.Path aside = logFile.resolveSibling(logFile.getFileName() + ".aside");
        boolean hadLog = java.nio.file.Files.exists(logFile);
        if (hadLog) {
            java.nio.file.Files.move(logFile, aside);
        }
        try {
            OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC).minusDays(3).minusHours(1).withNano(0);
            drills.append(new DrillRecord("main", at, "name sandbox-late-events-loaded", "20261123-190804",
                    "SUCCEEDED", true, 2, 4.25, List.of(new DrillRecord.Step("recover", 3.0)), 1));

            HostStatus first = hosts.probed();
            robot.interact(viewModel::refresh);
            WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> hosts.probed() != first
                    && !viewModel.busyProperty().get());
            WaitForAsyncUtils.waitForFxEvents();
            InstanceStatus main = hosts.probed().instances().get(0);
            assertEquals(at.toInstant(), main.lastDrill().at().toInstant(), "the newest successful drill is this one");

            tab(robot, "Overview");
            assertEquals(Formats.time(at) + " (3 d ago), target name sandbox-late-events-loaded, reached, recovery"
                    + " took 4.3 s", robot.lookup("#factLastDrill").queryAs(Label.class).getText());
            TableView<InstanceStatus> instances = robot.lookup("#instanceTable").queryTableView();
            assertEquals("drill 3 d ago", column(instances, "Last drill").getCellData(0));
            assertTrue(main.health().reasons().stream().noneMatch(r -> r.contains("recovery drill")),
                    "a drill 3 days old is recent: " + main.health().reasons());
        } finally {
            java.nio.file.Files.deleteIfExists(logFile);
            if (hadLog) {
                java.nio.file.Files.move(aside, logFile);
            }
        }
    }

    /** Clicks a detail tab's header (a bare text lookup may find the timeline's lane label of that name first). */
    private static void tab(FxRobot robot, String title) {
        robot.clickOn(robot.lookup(".detail-tabs .tab-label").match(
                org.testfx.matcher.control.LabeledMatchers.hasText(title)).<javafx.scene.Node>query());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(title, robot.lookup("#detailTabs").<javafx.scene.control.TabPane>query().getSelectionModel()
                .getSelectedItem().getText());
    }

    @SuppressWarnings("unchecked")
    private static <S> TableColumn<S, ?> column(TableView<S> table, String title) {
        return table.getColumns().stream().filter(c -> c.getText().equals(title)).findFirst()
                .orElseThrow(() -> new AssertionError("no column " + title));
    }

    private void waitForHosts() throws Exception {
        hosts.awaitProbed(viewModel, 120);
    }
}
