package dev.pgdeck.app.hosts;

import dev.pgdeck.remote.ssh.HostKeyPrompt;
import dev.pgdeck.remote.ssh.UnknownHostKey;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import javafx.application.Platform;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar.ButtonData;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * Asks the operator, in a dialog on the JavaFX thread, whether to trust a host key seen for the first time: host,
 * port, key type and SHA256 fingerprint, Accept or Reject (the default). The worker thread that connects waits for
 * the answer. A key already being asked about is not asked twice; a rejected key is not asked again while the console
 * runs. If the worker gives up waiting (the refresh timed out), the dialog stays, and the answer counts at the next
 * refresh, which {@link #onLateAnswer} starts. A changed host key never comes here: the SSH layer refuses it.
 */
public final class FxHostKeyPrompt implements HostKeyPrompt {
    private final Window owner;
    private final Map<String, CompletableFuture<Boolean>> answers = new ConcurrentHashMap<>();
    private volatile Runnable lateAnswer = () -> { };

    public FxHostKeyPrompt(Window owner) {
        this.owner = owner;
    }

    /** Runs (on the JavaFX thread) when the operator answers after the connecting worker stopped waiting. */
    public void onLateAnswer(Runnable action) {
        lateAnswer = action;
    }

    @Override
    public boolean trust(UnknownHostKey key) {
        if (Platform.isFxApplicationThread()) {
            throw new IllegalStateException("a host key prompt must not wait on the JavaFX thread");
        }
        String id = key.host() + " " + key.port() + " " + key.keyType() + " " + key.fingerprint();
        CompletableFuture<Boolean> answer = answers.computeIfAbsent(id, k -> {
            CompletableFuture<Boolean> future = new CompletableFuture<>();
            Platform.runLater(() -> show(key, future));
            return future;
        });
        try {
            boolean trusted = answer.get();
            if (trusted) {
                answers.remove(id); // saved to known_hosts by the caller: never asked again from there
            }
            return trusted;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.thenRun(() -> Platform.runLater(lateAnswer));
            return false;
        } catch (ExecutionException e) {
            return false;
        }
    }

    private void show(UnknownHostKey key, CompletableFuture<Boolean> answer) {
        Dialog<ButtonType> dialog = new Dialog<>();
        if (owner != null) {
            dialog.initOwner(owner);
        }
        dialog.setTitle("pgdeck: unknown host key");
        dialog.setHeaderText("The host key of " + key.host() + " port " + key.port() + " is not known yet");
        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(6);
        row(grid, 0, "Host", key.host(), "hostKeyHost");
        row(grid, 1, "Port", Integer.toString(key.port()), "hostKeyPort");
        row(grid, 2, "Key type", key.keyType(), "hostKeyType");
        row(grid, 3, "Fingerprint", key.fingerprint(), "hostKeyFingerprint");
        Label advice = new Label("Compare the fingerprint with the output of `ssh-keygen -lf` on the host's key"
                + " (/etc/ssh/ssh_host_*_key.pub) before accepting. Accept saves the key to pgdeck's known_hosts;"
                + " a later change of this key will be refused.");
        advice.setWrapText(true);
        advice.setMaxWidth(520);
        dialog.getDialogPane().setContent(new VBox(12, grid, advice));
        ButtonType accept = new ButtonType("Accept", ButtonData.OK_DONE);
        ButtonType reject = new ButtonType("Reject", ButtonData.CANCEL_CLOSE);
        dialog.getDialogPane().getButtonTypes().addAll(accept, reject);
        Button acceptButton = (Button) dialog.getDialogPane().lookupButton(accept);
        Button rejectButton = (Button) dialog.getDialogPane().lookupButton(reject);
        acceptButton.setId("hostKeyAccept");
        acceptButton.setDefaultButton(false);
        rejectButton.setId("hostKeyReject");
        rejectButton.setDefaultButton(true);
        dialog.setOnHidden(e -> answer.complete(dialog.getResult() == accept));
        dialog.show();
    }

    private static void row(GridPane grid, int row, String name, String value, String id) {
        Label valueLabel = new Label(value);
        valueLabel.setId(id);
        valueLabel.getStyleClass().add("mono");
        grid.addRow(row, new Label(name), valueLabel);
    }
}
