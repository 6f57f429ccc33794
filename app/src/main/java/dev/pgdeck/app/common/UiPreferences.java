package dev.pgdeck.app.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The console's own settings (the theme, how often hosts are refreshed), as JSON beside {@code hosts.json}: read at
 * start, written off the JavaFX thread after each change. A missing or damaged file gives the defaults.
 */
public record UiPreferences(boolean darkTheme, int refreshSeconds) {
    public static final UiPreferences DEFAULTS = new UiPreferences(false, 60);
    private static final ObjectMapper JSON = new ObjectMapper();

    public UiPreferences {
        refreshSeconds = Math.max(10, Math.min(3600, refreshSeconds));
    }

    public static UiPreferences load(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return DEFAULTS;
            }
            JsonNode node = JSON.readTree(file.toFile());
            return new UiPreferences(node.path("darkTheme").asBoolean(DEFAULTS.darkTheme()),
                    node.path("refreshSeconds").asInt(DEFAULTS.refreshSeconds()));
        } catch (IOException | RuntimeException e) {
            System.err.println("pgdeck: ignoring " + file + " (" + e.getMessage() + "), using the default settings");
            return DEFAULTS;
        }
    }

    /** Writes the file whole (a temporary file moved over it), so a crash never leaves half of it. */
    public void save(Path file) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        node.put("version", 1);
        node.put("darkTheme", darkTheme);
        node.put("refreshSeconds", refreshSeconds);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), node);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
