package dev.pgdeck.app;

import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;

/** The console. */
public final class PgdeckApplication extends Application {
    @Override
    public void start(Stage stage) {
        stage.setTitle("pgdeck");
        stage.setScene(new Scene(new Label("pgdeck"), 1200, 800));
        stage.show();
    }
}
