package dev.pgdeck.app.charts;

import dev.pgdeck.remote.charts.ChartCsv;
import dev.pgdeck.remote.charts.ChartData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.embed.swing.SwingFXUtils;
import javafx.geometry.Bounds;
import javafx.geometry.Rectangle2D;
import javafx.scene.Node;
import javafx.scene.SnapshotParameters;
import javafx.scene.layout.Region;
import javafx.scene.image.WritableImage;
import javax.imageio.ImageIO;

/** Writes what a chart shows: its picture as PNG (a snapshot of the node), its data as CSV. */
public final class ChartExports {
    private ChartExports() {}

    /**
     * On the FX thread: snapshots {@code node} at its laid-out size (not its visual bounds, which parts drawn past the
     * edge can grow by a pixel or two) and writes it as PNG.
     */
    public static void png(Node node, Path file) throws IOException {
        SnapshotParameters parameters = new SnapshotParameters();
        Bounds layout = node.getLayoutBounds();
        double width = node instanceof Region region ? region.getWidth() : layout.getWidth();
        double height = node instanceof Region region ? region.getHeight() : layout.getHeight();
        parameters.setViewport(new Rectangle2D(layout.getMinX(), layout.getMinY(), Math.ceil(width),
                Math.ceil(height)));
        WritableImage image = node.snapshot(parameters, null);
        png(SwingFXUtils.fromFXImage(image, null), file);
    }

    public static void png(BufferedImage image, Path file) throws IOException {
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer in this runtime");
        }
    }

    public static void csv(ChartData data, Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            ChartCsv.write(data, out);
        }
    }
}
