package dev.pgdeck.app.main;

import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.util.Duration;

/**
 * Refreshes every host on the interval the view model holds (restarted when it changes). A tick while a refresh or
 * an action runs is skipped: the view model refuses a second refresh while busy.
 */
public final class RefreshTimer {
    private final MainViewModel viewModel;
    private Timeline timeline;

    public RefreshTimer(MainViewModel viewModel) {
        this.viewModel = viewModel;
        viewModel.refreshSecondsProperty().addListener((obs, old, seconds) -> restart());
    }

    public void start() {
        restart();
    }

    public void stop() {
        if (timeline != null) {
            timeline.stop();
        }
    }

    private void restart() {
        stop();
        timeline = new Timeline(new KeyFrame(Duration.seconds(viewModel.refreshSecondsProperty().get()),
                e -> viewModel.refresh()));
        timeline.setCycleCount(Timeline.INDEFINITE);
        timeline.play();
    }
}
