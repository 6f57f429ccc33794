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

    @FXML private TextField hostNameField;
    @FXML private TextField hostAddressField;
    @FXML private TextField hostPortField;
    @FXML private TextField hostUserField;
    @FXML private TextField hostKeyFileField;
    @FXML private ComboBox<String> hostProfileBox;
    @FXML private TextArea hostInstancesArea;
    @FXML private Label hostFormError;

    /** @param existing the host being edited, or null for a new one */
    public HostFormController(HostEntry existing) {
        this.existing = existing;
    }

    @FXML
    private void initialize() {
        hostProfileBox.getItems().setAll(HostProfile.BUILT_IN);
        if (existing == null) {
            hostPortField.setText("22");
            hostUserField.setText(System.getProperty("user.name"));
            Path defaultKey = Path.of(System.getProperty("user.home"), ".ssh", "id_ed25519");
            hostKeyFileField.setText(defaultKey.toString());
            hostProfileBox.getSelectionModel().select("seed002");
            hostInstancesArea.setText("main:5432");
        } else {
            hostNameField.setText(existing.name());
            hostAddressField.setText(existing.address());
            hostPortField.setText(Integer.toString(existing.port()));
            hostUserField.setText(existing.user());
            hostKeyFileField.setText(existing.keyFile() == null ? "" : existing.keyFile());
            hostProfileBox.getSelectionModel().select(existing.profile());
            hostInstancesArea.setText(String.join("\n", existing.instances().stream()
                    .map(i -> i.name() + ":" + i.port()).toList()));
        }
        showError(null);
    }

    /** The host as the fields describe it; the host's variables (edited in hosts.json only) are kept. */
    public HostEntry read() throws InventoryException {
        String name = hostNameField.getText().strip();
        int port = parsePort(hostPortField.getText(), "port");
        String keyFile = hostKeyFileField.getText().strip();
        Map<String, String> variables = existing == null ? Map.of() : existing.variables();
        return new HostEntry(name, hostAddressField.getText().strip(), port, hostUserField.getText().strip(),
                keyFile.isEmpty() ? null : keyFile, hostProfileBox.getValue(), variables, instances(),
                existing == null ? null : existing.jump()); // the jump host is edited in hosts.json only
    }

    private List<HostEntry.InstanceEntry> instances() throws InventoryException {
        List<HostEntry.InstanceEntry> instances = new ArrayList<>();
        String[] lines = hostInstancesArea.getText().split("[\\n,]");
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
            instances.add(HostEntry.InstanceEntry.edited(line.substring(0, colon).strip(),
                    parsePort(line.substring(colon + 1), "instances, line " + (i + 1) + ": port"),
                    existing == null ? List.of() : existing.instances()));
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
        hostFormError.setText(message == null ? "" : message);
        hostFormError.setVisible(message != null);
        hostFormError.setManaged(message != null);
    }

    @FXML
    private void chooseKeyFile() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Private key for " + (hostNameField.getText().isBlank() ? "the host" : hostNameField.getText()));
        File current = new File(hostKeyFileField.getText().strip());
        File dir = current.getParentFile();
        if (dir != null && dir.isDirectory()) {
            chooser.setInitialDirectory(dir);
        }
        File chosen = chooser.showOpenDialog(hostKeyFileField.getScene().getWindow());
        if (chosen != null) {
            hostKeyFileField.setText(chosen.getAbsolutePath());
        }
    }
}
