package dev.pgdeck.app.charts;

import java.nio.file.Path;
import java.util.Optional;

/** Asks where to save an export (a file chooser in the console, a fixed file in tests). Called on the FX thread. */
@FunctionalInterface
public interface SaveDialog {
    Optional<Path> ask(String title, String suggestedName, String extension);
}
