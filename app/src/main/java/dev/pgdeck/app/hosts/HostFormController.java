package dev.pgdeck.app.hosts;

import dev.pgdeck.remote.hosts.HostEntry;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.hosts.InventoryException;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javafx.fxml.FXML;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.stage.FileChooser;

/**
 * The fields of one host: name, address, port, user, key file, profile, and the instances as {@code name:port}
 * lines. No secret field: a key's passphrase is asked when it is needed, never stored.
 */
public final class HostFormController {
    private final HostEntry existing;

    @FXML private TextField nameField;
    @FXML private TextField addressField;
    @FXML private TextField portField;
    @FXML private TextField userField;
    @FXML private TextField keyFileField;
    @FXML private ComboBox<String> profileBox;
    @FXML private TextArea instancesArea;
    @FXML private Label errorLabel;

    /** @param existing the host being edited, or null for a new one */
    public HostFormController(HostEntry existing) {
        this.existing = existing;
    }

    @FXML
    private void initialize() {
        profileBox.getItems().setAll(HostProfile.BUILT_IN);
        if (existing == null) {
            portField.setText("22");
            userField.setText(System.getProperty("user.name"));
            Path defaultKey = Path.of(System.getProperty("user.home"), ".ssh", "id_ed25519");
            keyFileField.setText(defaultKey.toString());
            profileBox.getSelectionModel().select("seed002");
            instancesArea.setText("main:5432");
        } else {
            nameField.setText(existing.name());
            addressField.setText(existing.address());
            portField.setText(Integer.toString(existing.port()));
            userField.setText(existing.user());
            keyFileField.setText(existing.keyFile() == null ? "" : existing.keyFile());
            profileBox.getSelectionModel().select(existing.profile());
            instancesArea.setText(String.join("\n", existing.instances().stream()
                    .map(i -> i.name() + ":" + i.port()).toList()));
        }
        showError(null);
    }

    /** The host as the fields describe it; the host's variables (edited in hosts.json only) are kept. */
    public HostEntry read() throws InventoryException {
        String name = nameField.getText().strip();
        int port = parsePort(portField.getText(), "port");
        String keyFile = keyFileField.getText().strip();
        Map<String, String> variables = existing == null ? Map.of() : existing.variables();
        return new HostEntry(name, addressField.getText().strip(), port, userField.getText().strip(),
                keyFile.isEmpty() ? null : keyFile, profileBox.getValue(), variables, instances());
    }

    private List<HostEntry.InstanceEntry> instances() throws InventoryException {
        List<HostEntry.InstanceEntry> instances = new ArrayList<>();
        String[] lines = instancesArea.getText().split("[\\n,]");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.lastIndexOf(':');
            if (colon <= 0 || colon == line.length() - 1) {
                throw new InventoryException("instances, line " + (i + 1) + ": \"" + line
                        + "\" is not name:port (e.g. main:5432)");
            }
            instances.add(new HostEntry.InstanceEntry(line.substring(0, colon).strip(),
                    parsePort(line.substring(colon + 1), "instances, line " + (i + 1) + ": port")));
        }
        return instances;
    }

    private static int parsePort(String text, String field) throws InventoryException {
        String value = text == null ? "" : text.strip();
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new InventoryException(field + ": \"" + value + "\" is not a TCP port (1-65535)");
        }
    }

    /** Shows a validation message beside the form; null clears it. */
    public void showError(String message) {
        errorLabel.setText(message == null ? "" : message);
        errorLabel.setVisible(message != null);
        errorLabel.setManaged(message != null);
    }

    @FXML
    private void chooseKeyFile() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Private key for " + (nameField.getText().isBlank() ? "the host" : nameField.getText()));
        File current = new File(keyFileField.getText().strip());
        File dir = current.getParentFile();
        if (dir != null && dir.isDirectory()) {
            chooser.setInitialDirectory(dir);
        }
        File chosen = chooser.showOpenDialog(keyFileField.getScene().getWindow());
        if (chosen != null) {
            keyFileField.setText(chosen.getAbsolutePath());
        }
    }
}
