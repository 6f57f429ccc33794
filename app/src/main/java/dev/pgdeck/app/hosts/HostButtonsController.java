package dev.pgdeck.app.hosts;

import dev.pgdeck.app.main.MainViewModel;
import dev.pgdeck.model.HostStatus;
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
        selectedName().ifPresent(name -> editor.withEntry(name, entry -> editor.open(entry, viewModel::requestRefresh)));
    }

    @FXML
    private void removeHost() {
        selectedName().ifPresent(name -> editor.withEntry(name,
                entry -> editor.remove(entry.name(), viewModel::requestRefresh)));
    }

    private Optional<String> selectedName() {
        return Optional.ofNullable(viewModel.selectedHostProperty().get()).map(HostStatus::name);
    }
}
