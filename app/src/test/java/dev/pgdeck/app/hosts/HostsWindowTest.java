package dev.pgdeck.app.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.app.TestWindows;
import dev.pgdeck.app.main.ConsoleHosts;
import dev.pgdeck.app.main.MainViewModel;
import dev.pgdeck.model.HostStatus;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.hosts.HostEntry;
import dev.pgdeck.remote.hosts.HostInventory;
import dev.pgdeck.remote.sandbox.Progress;
import dev.pgdeck.remote.testing.SshServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.TextInputControl;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The host inventory through the window: Add / Edit / Remove saved to a hosts.json under a temporary config
 * directory, and the host-key prompt against the embedded SSH server with its real host key.
 */
@ExtendWith(ApplicationExtension.class)
class HostsWindowTest {
    @RegisterExtension
    static final SshServerExtension SSH = new SshServerExtension();

    /** Stands in for the sandbox, which these tests do not need: one reachable host without instances. */
    private static final ConsoleHosts NO_SANDBOX = new ConsoleHosts() {
        @Override
        public void start(Progress progress) {
        }

        @Override
        public List<HostStatus> refresh() {
            return List.of(new HostStatus("sandbox", true, null, Instant.now(), List.of()));
        }

        @Override
        public void close() {
        }
    };

    @TempDir
    Path config;

    private final CommandLog log = new CommandLog();
    private Path inventoryFile;
    private Path knownHosts;
    private InventoryConsoleHosts hosts;
    private MainViewModel viewModel;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        inventoryFile = config.resolve("pgdeck").resolve("hosts.json");
        knownHosts = config.resolve("pgdeck").resolve("known_hosts");
        hosts = new InventoryConsoleHosts(NO_SANDBOX, inventoryFile, knownHosts, log, new FxHostKeyPrompt(stage),
                new FxPassphraseSource(stage), Duration.ofSeconds(30));
        viewModel = TestWindows.openWithInventory(stage, log, hosts, inventoryFile);
    }

    @AfterEach
    void closeDialogsAndHosts(FxRobot robot) throws Exception {
        robot.interact(() -> List.copyOf(Window.getWindows()).stream()
                .filter(w -> w instanceof Stage s && s.getOwner() != null)
                .forEach(Window::hide));
        hosts.close();
    }

    @Test
    void addedHostIsSavedAndListed(FxRobot robot) throws Exception {
        startUp(robot);
        robot.clickOn("#addHostButton");
        waitFor(robot, "#hostNameField");
        fill(robot, "#hostNameField", "db1");
        fill(robot, "#hostAddressField", "127.0.0.1");
        fill(robot, "#hostPortField", "1"); // nothing listens there: refused at once
        fill(robot, "#hostUserField", "postgres");
        fill(robot, "#hostKeyFileField", "/home/postgres/.ssh/id_ed25519");
        javafx.scene.control.ComboBox<String> profiles = robot.lookup("#hostProfileBox").query();
        robot.interact(() -> profiles.getSelectionModel().select("debian"));
        fill(robot, "#hostInstancesArea", "main:5432\ndev:5433");
        robot.clickOn("#hostSaveButton");

        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> Files.exists(inventoryFile));
        HostEntry saved = HostInventory.load(inventoryFile).find("db1").orElseThrow();
        assertEquals(new HostEntry("db1", "127.0.0.1", 1, "postgres", "/home/postgres/.ssh/id_ed25519", "debian",
                Map.of(), List.of(new HostEntry.InstanceEntry("main", 5432), new HostEntry.InstanceEntry("dev", 5433))),
                saved);
        assertFalse(Files.readString(inventoryFile).toLowerCase().contains("password"));
        HostStatus listed = waitForHost(robot, "db1");
        assertFalse(listed.reachable());
        assertTrue(listed.error().contains("Could not connect to db1"), listed.error());
        assertEquals("sandbox", viewModel.hostList().get(0).name(), "the sandbox comes first");
        assertTrue(robot.lookup("#hostNameField").tryQuery().isEmpty(), "the dialog closes after a save");
    }

    @Test
    void badPortShowsTheMessageAndSavesNothing(FxRobot robot) throws Exception {
        startUp(robot);
        robot.clickOn("#addHostButton");
        waitFor(robot, "#hostNameField");
        fill(robot, "#hostNameField", "db1");
        fill(robot, "#hostAddressField", "db1.example.net");
        fill(robot, "#hostPortField", "70000");
        robot.clickOn("#hostSaveButton");

        Label error = robot.lookup("#hostFormError").query();
        assertTrue(error.isVisible());
        assertTrue(error.getText().contains("port: 70000 is not a TCP port (1-65535)"), error.getText());
        assertFalse(Files.exists(inventoryFile), "nothing may be saved while the form is invalid");
        assertTrue(robot.lookup("#hostNameField").tryQuery().isPresent(), "the dialog stays open");

        fill(robot, "#hostPortField", "twenty-two");
        robot.clickOn("#hostSaveButton");
        assertTrue(error.getText().contains("\"twenty-two\" is not a TCP port"), error.getText());
        fill(robot, "#hostPortField", "22");
        fill(robot, "#hostInstancesArea", "main");
        robot.clickOn("#hostSaveButton");
        assertTrue(error.getText().contains("\"main\" is not name:port"), error.getText());
        assertFalse(Files.exists(inventoryFile));
        robot.clickOn("#hostCancelButton");
        assertFalse(Files.exists(inventoryFile));
    }

    @Test
    void editedHostIsSaved(FxRobot robot) throws Exception {
        HostInventory.load(inventoryFile).add(unreachable("db1"));
        startUp(robot);
        select(robot, waitForHost(robot, "db1"));
        robot.clickOn("#editHostButton");
        waitFor(robot, "#hostNameField");
        assertEquals("db1", text(robot, "#hostNameField"));
        fill(robot, "#hostNameField", "db2");
        robot.clickOn("#hostSaveButton");

        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> HostInventory.load(inventoryFile).find("db2")
                .isPresent());
        assertEquals(List.of("db2"), HostInventory.load(inventoryFile).hosts().stream().map(HostEntry::name).toList());
        assertEquals(Map.of("version", "16"), HostInventory.load(inventoryFile).hosts().get(0).variables(),
                "variables are kept");
        waitForHost(robot, "db2");
    }

    @Test
    void removedHostLeavesTheInventoryAndTheList(FxRobot robot) throws Exception {
        HostInventory inventory = HostInventory.load(inventoryFile);
        inventory.add(unreachable("db1"));
        inventory.add(unreachable("db2"));
        startUp(robot);
        assertTrue(robot.lookup("#removeHostButton").query().isDisabled(), "the sandbox cannot be removed");
        select(robot, waitForHost(robot, "db1"));
        robot.clickOn("#removeHostButton");
        waitFor(robot, "#hostRemoveConfirm");
        robot.clickOn("#hostRemoveConfirm");

        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> HostInventory.load(inventoryFile).find("db1").isEmpty());
        assertEquals(List.of("db2"), HostInventory.load(inventoryFile).hosts().stream().map(HostEntry::name).toList());
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> viewModel.hostList().stream()
                .noneMatch(h -> h.name().equals("db1")) && !viewModel.busyProperty().get());
        assertEquals(List.of("sandbox", "db2"), viewModel.hostList().stream().map(HostStatus::name).toList());
    }

    @Test
    void unknownHostKeyAcceptedMakesTheHostReachableAndIsSaved(FxRobot robot) throws Exception {
        HostInventory.load(inventoryFile).add(sshHost(SSH.clientKey()));
        startUp(robot, false);
        waitFor(robot, "#hostKeyFingerprint");
        assertPromptShowsTheServersKey(robot);
        assertFalse(Files.exists(knownHosts), "nothing is saved before the operator answers");
        HostStatus waiting = viewModel.hostList().stream().filter(h -> h.name().equals("ssh1")).findFirst()
                .orElseThrow(() -> new AssertionError("a host waiting on its key prompt is listed already"));
        assertTrue(waiting.isConnecting(), waiting.toString());
        robot.clickOn("#hostKeyAccept");

        HostStatus host = waitForHost(robot, "ssh1");
        assertTrue(host.reachable(), host.error());
        assertEquals(List.of(SSH.knownHostsLine(SSH.hostKey())), Files.readAllLines(knownHosts));

        // the next refresh uses the saved key: no prompt
        robot.interact(viewModel::refresh);
        waitForIdle();
        assertTrue(robot.lookup("#hostKeyFingerprint").tryQuery().isEmpty(), "asked again for a saved key");
        assertTrue(viewModel.hostList().stream().filter(h -> h.name().equals("ssh1")).findFirst().orElseThrow()
                .reachable());
    }

    @Test
    void unknownHostKeyRejectedShowsTheRefusalAndWritesNothing(FxRobot robot) throws Exception {
        HostInventory.load(inventoryFile).add(sshHost(SSH.clientKey()));
        startUp(robot, false);
        waitFor(robot, "#hostKeyFingerprint");
        assertPromptShowsTheServersKey(robot);
        robot.clickOn("#hostKeyReject");

        HostStatus host = waitForHost(robot, "ssh1");
        assertFalse(host.reachable());
        assertTrue(host.error().contains("Refused to connect to ssh1") && host.error().contains("declined"),
                host.error());
        assertFalse(Files.exists(knownHosts), "a rejected key must not be saved");
        select(robot, host);
        Label hostError = robot.lookup("#hostError").query();
        assertTrue(hostError.isVisible() && hostError.getText().contains("Refused to connect"), hostError.getText());
    }

    @Test
    void changedHostKeyIsRefusedWithoutAPrompt(FxRobot robot) throws Exception {
        PublicKey stale = KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256).getPublic();
        Files.createDirectories(knownHosts.getParent());
        String before = SSH.knownHostsLine(stale) + "\n";
        Files.writeString(knownHosts, before);
        HostInventory.load(inventoryFile).add(sshHost(SSH.clientKey()));
        startUp(robot);

        HostStatus host = waitForHost(robot, "ssh1");
        assertFalse(host.reachable());
        assertTrue(host.error().contains("HAS CHANGED") && host.error().contains("man-in-the-middle"), host.error());
        assertTrue(robot.lookup("#hostKeyFingerprint").tryQuery().isEmpty(), "a changed key must never be offered");
        assertEquals(before, Files.readString(knownHosts));
    }

    @Test
    void encryptedKeyAsksForItsPassphrase(FxRobot robot) throws Exception {
        Path key = config.resolve("id_ed25519_encrypted");
        SSH.authorize(SshServerExtension.writeKeyPair(key, "open sesame").getPublic());
        Files.createDirectories(knownHosts.getParent());
        Files.writeString(knownHosts, SSH.knownHostsLine(SSH.hostKey()) + "\n");
        HostInventory.load(inventoryFile).add(sshHost(key));
        startUp(robot, false);
        waitFor(robot, "#passphraseField");
        robot.clickOn("#passphraseField").write("open sesame");
        robot.clickOn("OK");

        HostStatus host = waitForHost(robot, "ssh1");
        assertTrue(host.reachable(), host.error());
        assertFalse(Files.readString(inventoryFile).contains("open sesame"));
    }

    @Test
    void hostKeyAcceptedAfterTheRefreshGaveUpCountsAtTheNextRefresh(FxRobot robot) throws Exception {
        HostInventory.load(inventoryFile).add(sshHost(SSH.clientKey()));
        hosts.close();
        FxHostKeyPrompt prompt = new FxHostKeyPrompt(stage);
        hosts = new InventoryConsoleHosts(NO_SANDBOX, inventoryFile, knownHosts, log, prompt,
                new FxPassphraseSource(stage), Duration.ofSeconds(2));
        robot.interact(() -> viewModel = TestWindows.openWithInventory(stage, log, hosts, inventoryFile));
        prompt.onLateAnswer(viewModel::requestRefresh);
        startUp(robot, false);
        waitFor(robot, "#hostKeyFingerprint");

        HostStatus waiting = waitForHost(robot, "ssh1"); // the refresh does not wait for the operator
        assertFalse(waiting.reachable());
        assertTrue(waiting.error().contains("no answer within 2 s"), waiting.error());
        assertTrue(robot.lookup("#hostKeyFingerprint").tryQuery().isPresent(), "the question stays open");
        assertFalse(Files.exists(knownHosts));
        robot.clickOn("#hostKeyAccept");

        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> find("ssh1").map(HostStatus::reachable).orElse(false));
        assertEquals(List.of(SSH.knownHostsLine(SSH.hostKey())), Files.readAllLines(knownHosts));
    }

    private void assertPromptShowsTheServersKey(FxRobot robot) {
        assertEquals(SshServerExtension.HOST, text(robot, "#hostKeyHost"));
        assertEquals(Integer.toString(SSH.port()), text(robot, "#hostKeyPort"));
        assertEquals("ecdsa-sha2-nistp256", text(robot, "#hostKeyType"));
        assertEquals(KeyUtils.getFingerPrint(SSH.hostKey()),
                text(robot, "#hostKeyFingerprint"));
    }

    private static HostEntry unreachable(String name) {
        return new HostEntry(name, "127.0.0.1", 1, "postgres", "/nonexistent/id_ed25519", "debian",
                Map.of("version", "16"), List.of(new HostEntry.InstanceEntry("main", 5432)));
    }

    private static HostEntry sshHost(Path key) {
        return new HostEntry("ssh1", SshServerExtension.HOST, SSH.port(), System.getProperty("user.name"),
                key.toString(), "debian", Map.of(), List.of(new HostEntry.InstanceEntry("main", 5432)));
    }

    private void startUp(FxRobot robot) throws Exception {
        startUp(robot, true);
    }

    private void startUp(FxRobot robot, boolean waitUntilDone) throws Exception {
        robot.interact(viewModel::startUp);
        if (waitUntilDone) {
            waitForIdle();
        }
    }

    private void waitForIdle() throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !viewModel.busyProperty().get()
                && !viewModel.hostList().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
    }

    private HostStatus waitForHost(FxRobot robot, String name) throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !viewModel.busyProperty().get()
                && find(name).isPresent());
        WaitForAsyncUtils.waitForFxEvents();
        return find(name).orElseThrow();
    }

    private Optional<HostStatus> find(String name) {
        return List.copyOf(viewModel.hostList()).stream().filter(h -> h.name().equals(name)).findFirst();
    }

    private void select(FxRobot robot, HostStatus host) {
        robot.interact(() -> viewModel.selectedHostProperty().set(host));
    }

    private static void waitFor(FxRobot robot, String query) throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup(query).tryQuery().isPresent());
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static String text(FxRobot robot, String query) {
        javafx.scene.Node node = robot.lookup(query).query();
        return node instanceof Label label ? label.getText() : ((TextInputControl) node).getText();
    }

    private static void fill(FxRobot robot, String query, String text) {
        assertEquals(1, robot.lookup(query).queryAll().size(), "one " + query + " (one dialog) is expected, got "
                + robot.lookup(query).queryAll().stream().map(n -> n + " in " + n.getScene().getWindow()
                + " parent " + n.getParent()).toList());
        TextInputControl field = robot.lookup(query).query();
        robot.interact(() -> field.setText(text));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(text, field.getText(), query);
    }
}
