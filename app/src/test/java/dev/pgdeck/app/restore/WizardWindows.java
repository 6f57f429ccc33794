package dev.pgdeck.app.restore;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/** What the Restore tab's window tests share: opening the tab, reading a label, saving a page to look at. */
final class WizardWindows {
    private WizardWindows() {}

    static void selectRestoreTab(FxRobot robot) {
        TabPane tabs = robot.lookup("#tabs").queryAs(TabPane.class);
        robot.interact(() -> tabs.getSelectionModel().select(
                tabs.getTabs().stream().filter(t -> t.getText().equals("Restore")).findFirst().orElseThrow()));
    }

    static String text(FxRobot robot, String query) {
        return robot.lookup(query).queryAs(Label.class).getText();
    }

    /** Saves the window as a PNG when -Dpgdeck.shots=DIR is given (to look at the pages). */
    static void shot(Stage stage, String name) throws Exception {
        String dir = System.getProperty("pgdeck.shots");
        if (dir == null) {
            return;
        }
        Files.createDirectories(Path.of(dir));
        WaitForAsyncUtils.waitForFxEvents();
        Scene scene = stage.getScene();
        var image = WaitForAsyncUtils.asyncFx(() -> scene.snapshot(null)).get(30, TimeUnit.SECONDS);
        ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", new File(dir, name + ".png"));
    }
}
