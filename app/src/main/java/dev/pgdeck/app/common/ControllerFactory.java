package dev.pgdeck.app.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Map;
import java.util.function.Supplier;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;

/** Loads FXML with controllers built by constructor injection: no static injector, no reflection on fields. */
public final class ControllerFactory {
    private final Map<Class<?>, Supplier<?>> controllers;

    public ControllerFactory(Map<Class<?>, Supplier<?>> controllers) {
        this.controllers = Map.copyOf(controllers);
    }

    public Parent load(URL fxml) {
        FXMLLoader loader = new FXMLLoader(fxml);
        loader.setControllerFactory(type -> {
            Supplier<?> supplier = controllers.get(type);
            if (supplier == null) {
                throw new IllegalStateException("no controller registered for " + type.getName());
            }
            return supplier.get();
        });
        try {
            return loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + fxml, e);
        }
    }
}
