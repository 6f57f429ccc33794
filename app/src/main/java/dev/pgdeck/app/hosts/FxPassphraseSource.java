package dev.pgdeck.app.hosts;

import dev.pgdeck.remote.ssh.PassphraseSource;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import javafx.application.Platform;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * Asks for a private key's passphrase in a dialog on the JavaFX thread while the connecting worker waits. The
 * passphrase lives only in memory: it is handed to the SSH layer (which keeps the unlocked key, not the passphrase)
 * and the field is cleared; it is never written anywhere.
 */
public final class FxPassphraseSource implements PassphraseSource {
    private final Window owner;

    public FxPassphraseSource(Window owner) {
        this.owner = owner;
    }

    @Override
    public char[] passphraseFor(Path keyFile) {
        if (Platform.isFxApplicationThread()) {
            throw new IllegalStateException("a passphrase prompt must not wait on the JavaFX thread");
        }
        CompletableFuture<Optional<char[]>> answer = new CompletableFuture<>();
        Platform.runLater(() -> show(keyFile, answer));
        try {
            return answer.get().orElse(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            return null;
        }
    }

    private void show(Path keyFile, CompletableFuture<Optional<char[]>> answer) {
        Dialog<ButtonType> dialog = new Dialog<>();
        if (owner != null) {
            dialog.initOwner(owner);
        }
        dialog.setTitle("pgdeck: key passphrase");
        dialog.setHeaderText("The private key " + keyFile + " is encrypted");
        PasswordField field = new PasswordField();
        field.setId("passphraseField");
        Label note = new Label("The passphrase is kept in memory only, never saved.");
        note.getStyleClass().add("host-detail");
        dialog.getDialogPane().setContent(new VBox(8, new Label("Passphrase:"), field, note));
        dialog.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        dialog.setOnShown(e -> field.requestFocus());
        dialog.setOnHidden(e -> {
            char[] value = dialog.getResult() == ButtonType.OK ? field.getText().toCharArray() : null;
            field.clear();
            answer.complete(Optional.ofNullable(value));
        });
        dialog.show();
    }
}
