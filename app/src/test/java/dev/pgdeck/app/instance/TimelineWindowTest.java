package dev.pgdeck.app.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.app.TestWindows;
import dev.pgdeck.app.main.ConsoleHosts;
import dev.pgdeck.app.main.MainViewModel;
import dev.pgdeck.remote.host.CommandLog;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.ListView;
import javafx.scene.shape.Rectangle;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The recoverable-window timeline of an instance whose archive lost one segment between two backups. */
@ExtendWith(ApplicationExtension.class)
class TimelineWindowTest {
    private MainViewModel viewModel;

    @Start
    void start(Stage stage) {
        ConsoleHosts hosts = TestWindows.answering(() -> FixtureHosts.host("forge", FixtureHosts.withOneGap("main")),
                null);
        viewModel = TestWindows.open(stage, new CommandLog(), hosts);
        viewModel.startUp();
    }

    @Test
    void oneDeletedSegmentIsOneRedGapBetweenTwoStretchesOfWal(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> viewModel.selectedInstanceProperty().get() != null);
        robot.clickOn("Recoverable window");
        WaitForAsyncUtils.waitForFxEvents();

        Set<Node> gaps = robot.lookup("#timeline .timeline-gap").queryAll();
        assertEquals(1, gaps.size(), "one gap drawn");
        Node gap = gaps.iterator().next();
        TimelineModel.Item item = (TimelineModel.Item) gap.getProperties().get(TimelineModel.Item.class);
        assertEquals(FixtureHosts.T0.plusHours(9).toInstant(), item.from());
        assertTrue(item.tooltip().contains("00000001000000000000000A"), item.tooltip());
        assertEquals(2, robot.lookup("#timeline .timeline-wal").queryAll().size(), "WAL before and after the gap");
        assertEquals(2, robot.lookup("#timeline .timeline-backup").queryAll().size());

        // drawn in order on one axis: first stretch of WAL, the gap, the second stretch
        List<Rectangle> wal = robot.lookup("#timeline .timeline-wal").queryAllAs(Rectangle.class).stream()
                .sorted((a, b) -> Double.compare(a.getX(), b.getX())).toList();
        Rectangle red = (Rectangle) gap;
        assertEquals(wal.get(0).getX() + wal.get(0).getWidth(), red.getX(), 0.5);
        assertTrue(wal.get(1).getX() >= red.getX() + red.getWidth() - 0.5);
        assertEquals(7, robot.lookup(".timeline-legend .timeline-mark").queryAll().size(),
                "the legend names each kind of mark");

        robot.clickOn("WAL archive");
        ListView<String> gapList = robot.lookup("#gapList").queryListView();
        assertTrue(gapList.getItems().get(0).contains("1 segment missing after 000000010000000000000009"),
                gapList.getItems().toString());
    }
}
