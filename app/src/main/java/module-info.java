/** The JavaFX console and the headless command line. */
module dev.pgdeck.app {
    requires dev.pgdeck.remote;
    requires javafx.controls;
    requires javafx.fxml;
    requires javafx.swing;
    requires org.controlsfx.controls;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;
    requires io.fair_acc.chartfx;
    requires io.fair_acc.dataset;

    opens dev.pgdeck.app to javafx.fxml, javafx.graphics, info.picocli;
    opens dev.pgdeck.app.main to javafx.fxml;
    opens dev.pgdeck.app.ingest to javafx.fxml;
    opens dev.pgdeck.app.charts to javafx.fxml;
    opens dev.pgdeck.app.hosts to javafx.fxml;
    opens dev.pgdeck.app.sql to javafx.fxml;
    opens dev.pgdeck.app.instance to javafx.fxml;
    opens dev.pgdeck.app.restore to javafx.fxml;
    exports dev.pgdeck.app;
}
