package dev.pgdeck.app.hosts;

import dev.pgdeck.app.common.ControllerFactory;
import dev.pgdeck.app.common.TaskRunner;
import dev.pgdeck.remote.hosts.HostEntry;
import dev.pgdeck.remote.hosts.HostInventory;
import dev.pgdeck.remote.hosts.InventoryException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import javafx.event.ActionEvent;
import javafx.scene.Parent;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar.ButtonData;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.stage.Window;

/**
 * Adds, edits and removes inventory hosts through dialogs. Every change goes through {@link HostInventory}, read
 * afresh first: its validation message is shown beside the form and nothing is saved while there is one.
 */
public final class HostEditor {
    private final Path inventoryFile;
    private final Window owner;
    private final TaskRunner tasks;

    /** {@code tasks} runs the reads and writes of {@code hosts.json} off the JavaFX thread. */
    public HostEditor(Path inventoryFile, Window owner, TaskRunner tasks) {
        this.inventoryFile = inventoryFile;
        this.owner = owner;
        this.tasks = tasks;
    }

    public Path inventoryFile() {
        return inventoryFile;
    }

    /** The inventory entry called {@code name}, if there is one (the sandbox is not). */
    public Optional<HostEntry> find(String name) throws InventoryException {
        return HostInventory.load(inventoryFile).find(name);
    }

    /**
     * Reads the inventory off the JavaFX thread and hands {@code name}'s entry to {@code then}; a missing host or an
     * unreadable file is said in an error dialog.
     */
    public void withEntry(String name, java.util.function.Consumer<HostEntry> then) {
        tasks.run("read-hosts", () -> find(name), entry -> {
            if (entry.isEmpty()) {
                error("No such host", name + " is no longer in " + inventoryFile);
            } else {
                then.accept(entry.get());
            }
        }, e -> error("Could not read the hosts", e.getMessage()));
    }

    /** Opens the form for a new host ({@code existing} null) or for editing one; {@code onSaved} runs after a save. */
    public void open(HostEntry existing, Runnable onSaved) {
        HostFormController form = new HostFormController(existing);
        Parent content = new ControllerFactory(Map.of(HostFormController.class, () -> form))
                .load(HostEditor.class.getResource("host-form.fxml"));
        Dialog<ButtonType> dialog = new Dialog<>();
        if (owner != null) {
            dialog.initOwner(owner);
        }
        dialog.setTitle(existing == null ? "pgdeck: add host" : "pgdeck: edit host " + existing.name());
        dialog.setHeaderText(existing == null ? "A new host, saved to " + inventoryFile
                : "Host " + existing.name() + " in " + inventoryFile);
        dialog.setResizable(true);
        dialog.getDialogPane().setContent(content);
        ButtonType save = new ButtonType("Save", ButtonData.OK_DONE);
        dialog.getDialogPane().getButtonTypes().addAll(save, ButtonType.CANCEL);
        Button saveButton = (Button) dialog.getDialogPane().lookupButton(save);
        saveButton.setId("hostSaveButton");
        ((Button) dialog.getDialogPane().lookupButton(ButtonType.CANCEL)).setId("hostCancelButton");
        saveButton.addEventFilter(ActionEvent.ACTION, event -> {
            event.consume(); // the dialog closes only once the file is written
            HostEntry entry;
            try {
                entry = form.read();
            } catch (InventoryException e) {
                form.showError(e.getMessage());
                return;
            }
            saveButton.setDisable(true);
            form.showError(null);
            tasks.run("save-hosts", () -> {
                HostInventory inventory = HostInventory.load(inventoryFile);
                if (existing == null) {
                    inventory.add(entry);
                } else {
                    inventory.replace(existing.name(), entry);
                }
                return entry;
            }, saved -> {
                dialog.setResult(save);
                dialog.close();
                onSaved.run();
            }, error -> {
                saveButton.setDisable(false);
                form.showError(error.getMessage()); // nothing was written
            });
        });
        dialog.show();
    }

    /** Asks, then removes {@code name} from the inventory; {@code onRemoved} runs after the save. */
    public void remove(String name, Runnable onRemoved) {
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION);
        if (owner != null) {
            confirm.initOwner(owner);
        }
        confirm.setTitle("pgdeck: remove host");
        confirm.setHeaderText("Remove " + name + " from " + inventoryFile + "?");
        confirm.setContentText("Its known host key stays in pgdeck's known_hosts.");
        ButtonType remove = new ButtonType("Remove host", ButtonData.OK_DONE);
        confirm.getButtonTypes().setAll(remove, ButtonType.CANCEL);
        ((Button) confirm.getDialogPane().lookupButton(remove)).setId("hostRemoveConfirm");
        confirm.setOnHidden(e -> {
            if (confirm.getResult() != remove) {
                return;
            }
            tasks.run("remove-host", () -> {
                HostInventory.load(inventoryFile).remove(name);
                return name;
            }, removed -> onRemoved.run(), error -> error("Could not remove " + name, error.getMessage()));
        });
        confirm.show();
    }

    void error(String title, String message) {
        Alert alert = new Alert(Alert.AlertType.ERROR);
        if (owner != null) {
            alert.initOwner(owner);
        }
        alert.setTitle("pgdeck");
        alert.setHeaderText(title);
        alert.setContentText(message);
        alert.show();
    }
}
