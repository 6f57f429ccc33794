package dev.pgdeck.app.hosts;

import dev.pgdeck.app.main.MainViewModel;
import dev.pgdeck.model.HostStatus;
import dev.pgdeck.remote.hosts.HostEntry;
import dev.pgdeck.remote.hosts.InventoryException;
import dev.pgdeck.remote.sandbox.Sandbox;
import java.util.Optional;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.fxml.FXML;
import javafx.scene.control.Button;

/** Add / Edit / Remove under the host list; the list is refreshed after every change. */
public final class HostButtonsController {
    private final HostEditor editor;
    private final MainViewModel viewModel;

    @FXML private Button addHostButton;
    @FXML private Button editHostButton;
    @FXML private Button removeHostButton;

    public HostButtonsController(HostEditor editor, MainViewModel viewModel) {
        this.editor = editor;
        this.viewModel = viewModel;
    }

    @FXML
    private void initialize() {
        BooleanBinding notEditable = Bindings.createBooleanBinding(() -> {
            HostStatus host = viewModel.selectedHostProperty().get();
            return host == null || host.name().equals(Sandbox.HOST_NAME)
                    || host.name().equals(InventoryConsoleHosts.INVENTORY_HOST);
        }, viewModel.selectedHostProperty());
        editHostButton.disableProperty().bind(notEditable);
        removeHostButton.disableProperty().bind(notEditable);
    }

    @FXML
    private void addHost() {
        editor.open(null, viewModel::requestRefresh);
    }

    @FXML
    private void editHost() {
        selectedEntry().ifPresent(entry -> editor.open(entry, viewModel::requestRefresh));
    }

    @FXML
    private void removeHost() {
        selectedEntry().ifPresent(entry -> editor.remove(entry.name(), viewModel::requestRefresh));
    }

    private Optional<HostEntry> selectedEntry() {
        HostStatus host = viewModel.selectedHostProperty().get();
        if (host == null) {
            return Optional.empty();
        }
        try {
            Optional<HostEntry> entry = editor.find(host.name());
            if (entry.isEmpty()) {
                editor.error("No such host", host.name() + " is no longer in " + editor.inventoryFile());
            }
            return entry;
        } catch (InventoryException e) {
            editor.error("Could not read the hosts", e.getMessage());
            return Optional.empty();
        }
    }
}
