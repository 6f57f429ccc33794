package dev.pgdeck.app;

import java.time.Duration;
import java.time.Instant;
import javafx.animation.AnimationTimer;
import javafx.scene.Scene;

/**
 * With {@code -Dpgdeck.reportFirstFrame=true}, prints the time from process start to the first rendered frame of
 * the main window to standard error (what packaging/measure-startup.sh reads).
 */
final class FirstFrame {
    private FirstFrame() {}

    static void reportWhenShown(Scene scene) {
        if (!Boolean.getBoolean("pgdeck.reportFirstFrame")) {
            return;
        }
        new AnimationTimer() {
            private int pulses;

            @Override
            public void handle(long now) {
                // The second pulse comes after the first frame has been rendered.
                if (++pulses == 2) {
                    stop();
                    Instant start = ProcessHandle.current().info().startInstant().orElse(Instant.now());
                    System.err.println("pgdeck: first frame after "
                            + Duration.between(start, Instant.now()).toMillis() + " ms");
                    if (Boolean.getBoolean("pgdeck.exitAfterFirstFrame")) {
                        System.exit(0);
                    }
                }
            }
        }.start();
    }
}
