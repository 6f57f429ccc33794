package dev.pgdeck.app.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static dev.pgdeck.app.restore.WizardWindows.text;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.app.TestWindows;
import dev.pgdeck.app.main.ConsoleHosts;
import dev.pgdeck.app.restore.RestoreWizardModel.Step;
import dev.pgdeck.model.CommandResult;
import dev.pgdeck.model.HostCommand;
import dev.pgdeck.model.HostStatus;
import dev.pgdeck.model.restore.PreflightCheck;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.host.HostShell;
import dev.pgdeck.remote.host.LocalShell;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.probe.HostActions;
import dev.pgdeck.remote.restore.RestoreWorkflow;
import dev.pgdeck.remote.sandbox.Progress;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.DatePicker;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The wizard's third source, a ZFS snapshot (seed 002 scenario 1), on a seed-002 host whose {@code zfs list} is
 * replayed from the recording (ZFS cannot run here): a fake {@code zfs} first on PATH answers that one command from
 * the fixture and refuses every other, as do the fake {@code systemctl} and a {@code sudo} that only drops its
 * options. So the plan is the real one for those snapshots, and Run ends in an honest failure. A Debian host
 * beside it has no ZFS: the choice is disabled there with the reason.
 */
@ExtendWith(ApplicationExtension.class)
class RestoreWizardZfsWindowTest {
    private static final CommandLog LOG = new CommandLog();
    private static final String SNAPSHOT = "tank/services/postgresql/main@autosnap_2025-10-11_10:00:01_hourly";
    private static Path bin;
    /** A seed-002 host without zfs: the same fake sudo and systemctl, no zfs on the PATH (issue 12, finding 1). */
    private static Path bareBin;

    private RestoreWizardModel model;
    private Stage stage;

    @BeforeAll
    static void writeTheFakeCommands() throws Exception {
        bin = Files.createTempDirectory("pgdeck-zfs-host");
        bin.toFile().deleteOnExit();
        Path fixture = bin.resolve("zfs-list-snapshots.txt");
        try (InputStream in = RestoreWizardZfsWindowTest.class.getResourceAsStream(
                "/dev/pgdeck/sandbox/fixtures/zfs-list-snapshots.txt")) {
            Files.write(fixture, in.readAllBytes());
        }
        script("zfs", "if [ \"$*\" = 'list -H -p -t snapshot -o name,creation,used,refer' ]; then exec cat '"
                + fixture + "'; fi\necho \"zfs $*: ZFS cannot run on this test host (only the recorded zfs list is"
                + " replayed)\" >&2\nexit 1\n");
        script("systemctl", "echo \"systemctl $*: systemd cannot run on this test host\" >&2\nexit 1\n");
        // as sudo -n would with every rule granted; -l (what the host's capabilities ask) only looks the program up
        script("sudo", "l=\nwhile [ \"${1#-}\" != \"$1\" ]; do case $1 in -u) shift 2 ;; -l) l=1; shift ;;"
                + " --) shift; break ;; *) shift ;; esac; done\n"
                + "if [ -n \"$l\" ]; then command -v \"$1\"; exit; fi\nexec \"$@\"\n");
    }

    @BeforeAll
    static void writeAHostWithoutZfs() throws Exception {
        bareBin = Files.createTempDirectory("pgdeck-bare-seed002-host");
        bareBin.toFile().deleteOnExit();
        for (String name : List.of("sudo", "systemctl")) {
            Path file = Files.copy(bin.resolve(name), bareBin.resolve(name));
            file.toFile().deleteOnExit();
        }
    }

    private static void script(String name, String body) throws Exception {
        Path file = bin.resolve(name);
        Files.writeString(file, "#!/bin/sh\n# pgdeck test: " + name + " on a seed-002 host\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        file.toFile().deleteOnExit();
    }

    /** Runs locally with the fake commands first on PATH; the result names the command as given. */
    private static final class FakeShell implements HostShell {
        private final String host;
        private final LocalShell local;
        private final Path commands;

        FakeShell(String host, Path commands) {
            this.host = host;
            this.local = new LocalShell(host, LOG);
            this.commands = commands;
        }

        @Override
        public String hostName() {
            return host;
        }

        @Override
        public CommandResult run(HostCommand command, Duration timeout) throws HostCommandException {
            CommandResult r = local.run(HostCommand.of("sh", "-c", "PATH=\"$1:$PATH\"; export PATH; eval \"$2\"",
                    "sh", commands.toString(), command.shellLine()), timeout);
            return new CommandResult(command, r.exitCode(), r.stdout(), r.stderr(), r.elapsed());
        }
    }

    /** forge (profile seed002, ZFS), a Debian host (no ZFS) and bare (profile seed002, no zfs on it); nothing else. */
    private static final class Hosts implements RestoreHosts {
        @Override
        public List<HostChoice> hosts() {
            return List.of(choice("forge", "seed002"), choice("debian-box", "debian"), choice("bare", "seed002"));
        }

        private static HostChoice choice(String name, String profile) {
            return new HostChoice(name, List.of(new InstanceChoice("main", 5432)),
                    RestoreWorkflow.zfsUnavailable(HostProfile.builtIn(profile)).orElse(""));
        }

        @Override
        public RestoreConnection open(HostChoice host, InstanceChoice instance) {
            HostProfile profile = HostProfile.builtIn(host.name().equals("debian-box") ? "debian" : "seed002");
            HostShell shell = new FakeShell(host.name(), host.name().equals("bare") ? bareBin : bin);
            return new RestoreConnection(host.name(), instance.name(), instance.port(),
                    new RestoreWorkflow(shell, profile, Map.of(), instance.name(), instance.port(), Clock.systemUTC()),
                    new HostActions(shell, profile, Map.of(), Clock.systemUTC()));
        }
    }

    private static final class NoConsoleHosts implements ConsoleHosts {
        @Override
        public void start(Progress progress) {
        }

        @Override
        public List<HostStatus> refresh() {
            return List.of();
        }

        @Override
        public void close() {
        }
    }

    @Start
    void start(Stage stage) {
        this.stage = stage;
        model = TestWindows.openWithRestore(stage, LOG, new NoConsoleHosts(), new Hosts());
    }

    @Test
    void aZfsSnapshotIsChosenForTheTargetPlannedAsACloneAndRunFailsHonestlyHere(FxRobot robot) throws Exception {
        openRestoreTab(robot);
        assertEquals("forge", model.hostProperty().get().name());
        RadioButton zfs = robot.lookup("#zfsSourceRadio").queryAs(RadioButton.class);
        assertFalse(zfs.isDisabled(), "seed 002's profile has ZFS");
        assertFalse(robot.lookup("#zfsSourceWhy").query().isVisible());
        robot.clickOn("#zfsSourceRadio");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> model.zfsStateProperty().get() != null
                || model.instanceFailedProperty().get() && !model.readingProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("main (port 5432): 6 ZFS snapshots of tank/services/postgresql/main, from 2025-10-10 00:00:01"
                + " UTC to 2025-10-11 12:05:13 UTC.", text(robot, "#instanceMessage"));
        WizardWindows.shot(stage, "1-instance-zfs");
        robot.clickOn("#nextButton");

        assertEquals(Step.TARGET, model.stepProperty().get());
        for (String kind : List.of("#xidRadio", "#nameRadio", "#lsnRadio", "#immediateRadio", "#timelineCombo")) {
            assertTrue(robot.lookup(kind).query().isDisabled(), kind + " means nothing for a snapshot");
        }
        robot.clickOn("#timeRadio");
        setTime(robot, LocalDate.of(2025, 10, 1), "00:00:00");
        assertEquals("Refused: the oldest snapshot of tank/services/postgresql/main is"
                + " autosnap_2025-10-10_00:00:01_daily (2025-10-10 00:00:01 UTC), after the target 2025-10-01"
                + " 00:00:00 UTC: restore from a base backup instead.", text(robot, "#targetMessage"));
        assertTrue(robot.lookup("#nextButton").queryButton().isDisabled());
        setTime(robot, LocalDate.of(2025, 10, 11), "10:30:00");
        assertTrue(text(robot, "#targetWords").startsWith("The instance comes back as it was at 2025-10-11 10:00:01"
                + " UTC, from ZFS snapshot " + SNAPSHOT + " (the newest at or before 2025-10-11 10:30:00 UTC)."),
                text(robot, "#targetWords"));
        assertTrue(text(robot, "#targetWords").contains("no archived WAL is replayed"), text(robot, "#targetWords"));
        assertEquals("Warning: commits between the snapshot and the target are lost: 29 min.",
                text(robot, "#targetMessage"));
        WizardWindows.shot(stage, "2-target-zfs");
        robot.clickOn("#nextButton");

        assertEquals(Step.BACKUP, model.stepProperty().get());
        assertEquals("Source: ZFS snapshot " + SNAPSHOT + ", taken 2025-10-11 10:00:01 UTC: the newest snapshot of"
                + " tank/services/postgresql/main at or before the target.", text(robot, "#backupSource"));
        assertTrue(text(robot, "#zfsSnapshotWords").contains("(29 min) are lost"), text(robot, "#zfsSnapshotWords"));
        assertFalse(robot.lookup("#backupTable").query().isVisible(), "no base backup is used");
        WizardWindows.shot(stage, "3-snapshot-zfs");
        robot.clickOn("#nextButton");

        assertEquals(Step.MODE, model.stepProperty().get());
        assertTrue(robot.lookup("#drillRadio").query().isDisabled(), "no drill from ZFS");
        assertTrue(robot.lookup("#inPlaceRadio").queryAs(RadioButton.class).isSelected());
        assertTrue(text(robot, "#drillWords").startsWith("Not offered from a ZFS snapshot"), text(robot, "#drillWords"));
        WizardWindows.shot(stage, "4-mode-zfs");
        robot.clickOn("#nextButton");

        assertEquals(Step.PREFLIGHT, model.stepProperty().get());
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !model.checkingProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of("ZFS snapshot PASS", "WAL replay WARN", "Commands PASS", "Nothing destroyed PASS"),
                model.checks()
                .stream().map(c -> c.name() + " " + c.status()).toList(), String.valueOf(model.checks()));
        assertTrue(model.checks().stream().noneMatch(PreflightCheck::failed));
        robot.clickOn("#nextButton");

        assertEquals(Step.PLAN, model.stepProperty().get());
        String plan = robot.lookup("#planArea").queryAs(TextArea.class).getText();
        List<String> commands = plan.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertTrue(commands.stream().anyMatch(l -> l.startsWith("sudo -n zfs snapshot tank/services/postgresql/main"
                + "@pgdeck-pre-rollback-")), plan);
        assertTrue(commands.stream().anyMatch(l -> l.startsWith("sudo -n zfs rename tank/services/postgresql/main"
                + " tank/services/postgresql/main-pre-rollback-")), plan);
        assertTrue(commands.stream().anyMatch(l -> l.startsWith("sudo -n zfs clone -o mountpoint=/var/lib/postgresql/"
                + "16/main ") && l.endsWith("@autosnap_2025-10-11_10:00:01_hourly tank/services/postgresql/main")),
                plan);
        assertTrue(commands.stream().noneMatch(l -> l.contains("rollback ") || l.contains("destroy")
                || l.contains("rm ")), "nothing destroyed: " + plan);
        WizardWindows.shot(stage, "6-plan-zfs");
        robot.clickOn("#nextButton");

        assertEquals(Step.CONFIRM, model.stepProperty().get());
        assertTrue(robot.lookup("#nextButton").queryButton().isDisabled(), "Run before the name was typed");
        assertTrue(text(robot, "#confirmWords").contains("clones the ZFS snapshot " + SNAPSHOT + " in its place"),
                text(robot, "#confirmWords"));
        robot.clickOn("#confirmField");
        robot.write("main");
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("#nextButton");

        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> model.stepProperty().get() == Step.VERIFY);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("The restore failed", text(robot, "#resultTitle"));
        String account = text(robot, "#resultAccount");
        assertTrue(account.startsWith("The restore failed at Stop the instance: "), account);
        assertTrue(account.contains("systemd cannot run on this test host"), account);
        assertTrue(account.contains("Done: nothing."), account);
        assertTrue(text(robot, "#resultReached").startsWith("no"), text(robot, "#resultReached"));
        WizardWindows.shot(stage, "9-verify-zfs");
        robot.clickOn("#nextButton");
        assertEquals(Step.AFTER, model.stepProperty().get());
        assertEquals("Nothing was replaced: the run stopped before the data of main was put aside, so it is where it"
                + " was.", text(robot, "#afterAdvice"));
        assertFalse(robot.lookup("#swapBackButton").query().isVisible());
    }

    @Test
    void aHostWithoutZfsOffersNoZfsSourceAndSaysWhy(FxRobot robot) throws Exception {
        openRestoreTab(robot);
        robot.interact(() -> model.hostProperty().set(model.hostChoices().get(1)));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !model.readingProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup("#zfsSourceRadio").query().isDisabled());
        Node why = robot.lookup("#zfsSourceWhy").query();
        assertTrue(why.isVisible());
        assertEquals("Not offered for this host: host profile debian names no ZFS datasets for its instances.",
                text(robot, "#zfsSourceWhy"));
        WizardWindows.shot(stage, "1-instance-no-zfs");
    }

    @Test
    void aSeed002HostWithoutZfsIsNotOfferedTheZfsSourceOnceItWasAsked(FxRobot robot) throws Exception {
        openRestoreTab(robot);
        robot.interact(() -> model.hostProperty().set(model.hostChoices().get(2)));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !model.readingProperty().get()
                && !model.zfsUnavailableProperty().get().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();

        assertTrue(robot.lookup("#zfsSourceRadio").query().isDisabled());
        assertEquals("Not offered for this host: zfs cannot run on this host (sudo -u root zfs, zfs: not found, or not"
                + " allowed by sudo -n).", text(robot, "#zfsSourceWhy"));
        assertFalse(robot.lookup("#resticSourceRadio").query().isDisabled(), "restic runs there");
    }

    private void setTime(FxRobot robot, LocalDate day, String clock) {
        DatePicker date = robot.lookup("#targetDatePicker").queryAs(DatePicker.class);
        robot.interact(() -> date.setValue(day));
        robot.clickOn("#targetTimeField");
        robot.push(KeyCode.CONTROL, KeyCode.A);
        robot.write(clock);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private void openRestoreTab(FxRobot robot) throws Exception {
        WizardWindows.selectRestoreTab(robot);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !model.hostChoices().isEmpty()
                && !model.readingProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
    }

}
