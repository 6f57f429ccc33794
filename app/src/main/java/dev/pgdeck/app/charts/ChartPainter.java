package dev.pgdeck.app.charts;

import dev.pgdeck.remote.charts.ChartData;
import dev.pgdeck.remote.charts.ChartPoint;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Draws a chart with plain Java2D, for the headless {@code pgdeck chart --png}: it needs no display and no JavaFX
 * toolkit (which, without a display, only Monocle provides, and the runtime image does not ship it). The same data
 * and conventions as the console: a line per time series with the period not over yet dashed and lighter, the
 * previous period in grey, bars for categories.
 */
public final class ChartPainter {
    private static final Color LINE = new Color(0x1f, 0x77, 0xb4);
    private static final Color OPEN = new Color(0x1f, 0x77, 0xb4, 140);
    private static final Color PREVIOUS = new Color(0x99, 0x99, 0x99);
    private static final Color GRID = new Color(0xe4, 0xe4, 0xe4);

    private ChartPainter() {}

    public static BufferedImage paint(ChartData data, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.setColor(Color.DARK_GRAY);
            String title = data.chart().title() + " · " + data.range()
                    + (data.chart().timeSeries() ? " · by " + data.interval() : "");
            g.drawString(title, 12, 20);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            int left = 64;
            int right = width - 16;
            int top = 36;
            int bottom = height - (data.chart().timeSeries() ? 36 : 90);
            List<ChartPoint> points = data.current().points();
            List<ChartPoint> before = data.compared() ? data.previous().points() : List.of();
            double max = 1;
            for (ChartPoint p : points) {
                max = Math.max(max, p.value());
            }
            for (ChartPoint p : before) {
                max = Math.max(max, p.value());
            }
            max = niceCeiling(max);
            FontMetrics metrics = g.getFontMetrics();
            for (int i = 0; i <= 4; i++) {
                int y = bottom - (bottom - top) * i / 4;
                g.setColor(GRID);
                g.drawLine(left, y, right, y);
                g.setColor(Color.GRAY);
                String label = ChartsViewModel.number(max * i / 4);
                g.drawString(label, left - 6 - metrics.stringWidth(label), y + 4);
            }
            g.setColor(Color.GRAY);
            g.drawLine(left, bottom, right, bottom);
            int n = Math.max(1, points.size());
            if (data.chart().timeSeries()) {
                drawLine(g, before, left, right, top, bottom, max, PREVIOUS, false);
                drawLine(g, points, left, right, top, bottom, max, LINE, true);
                int step = Math.max(1, points.size() / 6);
                g.setColor(Color.GRAY);
                for (int i = 0; i < points.size(); i += step) {
                    int x = xAt(i, n, left, right);
                    g.drawString(points.get(i).key(), x - metrics.stringWidth(points.get(i).key()) / 2, bottom + 16);
                }
            } else {
                double slot = (right - left) / (double) n;
                for (int i = 0; i < points.size(); i++) {
                    int x = (int) (left + slot * i + slot * 0.15);
                    int w = (int) (slot * (before.isEmpty() ? 0.7 : 0.35));
                    bar(g, x, w, points.get(i).value(), top, bottom, max, LINE);
                    if (!before.isEmpty()) {
                        bar(g, x + w, w, before.get(i).value(), top, bottom, max, PREVIOUS);
                    }
                    Graphics2D rotated = (Graphics2D) g.create();
                    rotated.setColor(Color.DARK_GRAY);
                    rotated.rotate(Math.toRadians(45), x, bottom + 12);
                    rotated.drawString(points.get(i).category(), x, bottom + 12);
                    rotated.dispose();
                }
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private static void drawLine(Graphics2D g, List<ChartPoint> points, int left, int right, int top, int bottom,
                                 double max, Color color, boolean dashOpen) {
        int n = Math.max(1, points.size());
        for (int i = 1; i < points.size(); i++) {
            boolean open = dashOpen && points.get(i).incomplete();
            g.setColor(open ? OPEN : color);
            g.setStroke(open ? new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f,
                    new float[] {6f, 5f}, 0f) : new BasicStroke(2f));
            Path2D segment = new Path2D.Double();
            segment.moveTo(xAt(i - 1, n, left, right), yAt(points.get(i - 1).value(), top, bottom, max));
            segment.lineTo(xAt(i, n, left, right), yAt(points.get(i).value(), top, bottom, max));
            g.draw(segment);
        }
        if (points.size() == 1) {
            g.setColor(color);
            g.fillOval(xAt(0, n, left, right) - 3, (int) yAt(points.get(0).value(), top, bottom, max) - 3, 6, 6);
        }
        g.setStroke(new BasicStroke(1f));
    }

    private static void bar(Graphics2D g, int x, int w, double value, int top, int bottom, double max, Color color) {
        int y = (int) yAt(value, top, bottom, max);
        g.setColor(color);
        g.fillRect(x, y, Math.max(1, w), bottom - y);
    }

    private static int xAt(int i, int n, int left, int right) {
        return n == 1 ? (left + right) / 2 : left + (right - left) * i / (n - 1);
    }

    private static double yAt(double value, int top, int bottom, double max) {
        return bottom - (bottom - top) * (value / max);
    }

    private static double niceCeiling(double value) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * magnitude >= value) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }
}
