package dev.pgdeck.app.instance;

import dev.pgdeck.app.instance.TimelineModel.Item;
import dev.pgdeck.app.instance.TimelineModel.Kind;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Region;
import javafx.scene.shape.Line;
import javafx.scene.shape.Polygon;
import javafx.scene.shape.Rectangle;

/**
 * The recoverable window drawn on one time axis: a lane per kind (base backups, WAL per timeline, restore points, ZFS,
 * restic), ranges as bars, instants as diamonds, gaps in red. Every mark is a node with a style class (so the light
 * and dark themes colour it) and a tooltip. Nodes are rebuilt when the model or the width changes.
 */
public final class RecoverableTimeline extends Region {
    static final Map<Kind, String> STYLE = Map.of(Kind.BASE_BACKUP, "timeline-backup", Kind.WAL, "timeline-wal",
            Kind.GAP, "timeline-gap", Kind.RESTORE_POINT, "timeline-restore-point", Kind.ZFS, "timeline-zfs",
            Kind.RESTIC_BASE, "timeline-restic-base", Kind.RESTIC_WAL, "timeline-restic-wal");
    private static final double LABELS = 140;
    private static final double LANE = 28;
    private static final double TOP = 6;
    private static final double AXIS = 34;
    private static final double RIGHT = 16;
    private static final List<Duration> STEPS = List.of(Duration.ofMinutes(1), Duration.ofMinutes(2),
            Duration.ofMinutes(5), Duration.ofMinutes(10),
            Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(3),
            Duration.ofHours(6), Duration.ofHours(12), Duration.ofDays(1), Duration.ofDays(2), Duration.ofDays(7),
            Duration.ofDays(14), Duration.ofDays(30), Duration.ofDays(90));

    private final javafx.beans.property.BooleanProperty showAll =
            new javafx.beans.property.SimpleBooleanProperty(false);
    private TimelineModel model;
    private double builtForWidth = -1;

    public RecoverableTimeline() {
        getStyleClass().add("recoverable-timeline");
        setMinHeight(120);
        showAll.addListener((obs, was, all) -> {
            builtForWidth = -1;
            requestLayout();
        });
    }

    /** False (the default): the axis spans the backups, WAL, gaps and restore points; true: everything. */
    public javafx.beans.property.BooleanProperty showAllProperty() {
        return showAll;
    }

    public void setModel(TimelineModel model) {
        this.model = model;
        builtForWidth = -1;
        requestLayout();
    }

    public TimelineModel getModel() {
        return model;
    }

    @Override
    protected double computePrefHeight(double width) {
        int lanes = model == null ? 4 : model.lanes().size();
        return TOP + lanes * LANE + AXIS;
    }

    @Override
    protected double computePrefWidth(double height) {
        return 700;
    }

    @Override
    protected void layoutChildren() {
        double width = getWidth();
        if (width != builtForWidth) {
            builtForWidth = width;
            getChildren().setAll(build(width).toArray(Node[]::new));
        }
        for (Node child : getChildren()) {
            if (child instanceof Label label) {
                label.autosize();
            }
        }
    }

    private List<Node> build(double width) {
        java.util.ArrayList<Node> nodes = new java.util.ArrayList<>();
        if (model == null || model.isEmpty()) {
            Label empty = label("Nothing to draw yet: no backups, WAL or snapshots were read.", "timeline-empty");
            empty.relocate(LABELS, TOP);
            nodes.add(empty);
            return nodes;
        }
        double plotWidth = Math.max(50, width - LABELS - RIGHT);
        Instant from = showAll.get() ? model.start() : model.focusStart();
        Instant to = showAll.get() ? model.end() : model.focusEnd();
        long startMs = from.toEpochMilli();
        long endMs = to.toEpochMilli();
        double msPerPx = Math.max(1, endMs - startMs) / plotWidth;
        int[] before = new int[model.lanes().size()];
        int[] after = new int[model.lanes().size()];
        double bottom = TOP + model.lanes().size() * LANE;
        for (int i = 0; i < model.lanes().size(); i++) {
            double y = TOP + i * LANE;
            Label name = label(model.lanes().get(i), "timeline-lane-label");
            name.relocate(4, y + 5);
            nodes.add(name);
            Line separator = new Line(LABELS, y + LANE, LABELS + plotWidth, y + LANE);
            separator.getStyleClass().add("timeline-lane-line");
            nodes.add(separator);
        }
        axis(nodes, startMs, msPerPx, plotWidth, bottom);
        // gaps last: on top of the WAL around them, however short they are
        List<Item> ordered = model.items().stream()
                .sorted(java.util.Comparator.comparing(i -> i.kind() == Kind.GAP)).toList();
        for (Item item : ordered) {
            int lane = model.lanes().indexOf(item.lane());
            long itemFrom = item.from().toEpochMilli();
            long itemTo = item.isPoint() ? itemFrom : item.to().toEpochMilli();
            if (itemTo < startMs) {
                before[lane]++;
                continue;
            }
            if (itemFrom > endMs) {
                after[lane]++;
                continue;
            }
            double mid = TOP + lane * LANE + LANE / 2;
            double x = LABELS + (Math.max(itemFrom, startMs) - startMs) / msPerPx;
            Node mark;
            if (item.isPoint()) {
                Polygon diamond = new Polygon(x, mid - 7, x + 5, mid, x, mid + 7, x - 5, mid);
                mark = diamond;
            } else {
                // a gap stays visible however short it is next to the window
                double w = Math.max(item.kind() == Kind.GAP ? 5 : 2,
                        (Math.min(itemTo, endMs) - Math.max(itemFrom, startMs)) / msPerPx);
                mark = new Rectangle(x, mid - 7, w, 14);
            }
            mark.getStyleClass().addAll("timeline-mark", STYLE.get(item.kind()));
            Tooltip tip = new Tooltip(item.tooltip());
            tip.setShowDelay(javafx.util.Duration.millis(150));
            tip.setShowDuration(javafx.util.Duration.seconds(30));
            Tooltip.install(mark, tip);
            mark.getProperties().put(Item.class, item);
            nodes.add(mark);
        }
        for (int lane = 0; lane < model.lanes().size(); lane++) {
            double y = TOP + lane * LANE + 6;
            if (before[lane] > 0) {
                Label hidden = label("◀ " + before[lane] + " earlier", "timeline-hidden");
                hidden.relocate(LABELS + 4, y);
                nodes.add(hidden);
            }
            if (after[lane] > 0) {
                Label hidden = label(after[lane] + " later ▶", "timeline-hidden");
                hidden.relocate(LABELS + plotWidth - 70, y);
                nodes.add(hidden);
            }
        }
        return nodes;
    }

    /** Ticks at a round step chosen so that about six to twelve labels fit. */
    private void axis(List<Node> nodes, long startMs, double msPerPx, double plotWidth, double bottom) {
        Line base = new Line(LABELS, bottom, LABELS + plotWidth, bottom);
        base.getStyleClass().add("timeline-axis");
        nodes.add(base);
        long spanMs = (long) (msPerPx * plotWidth);
        int maxTicks = (int) Math.max(2, plotWidth / 110);
        Duration step = STEPS.stream().filter(s -> spanMs / s.toMillis() <= maxTicks).findFirst()
                .orElse(STEPS.get(STEPS.size() - 1));
        ZoneId zone = ZoneId.systemDefault();
        ZonedDateTime first = Instant.ofEpochMilli(startMs).atZone(zone)
                .truncatedTo(step.compareTo(Duration.ofDays(1)) >= 0 ? ChronoUnit.DAYS : ChronoUnit.HOURS);
        DateTimeFormatter format = DateTimeFormatter.ofPattern(step.compareTo(Duration.ofDays(1)) >= 0 ? "MM-dd"
                : spanMs > Duration.ofDays(1).toMillis() ? "MM-dd HH:mm" : "HH:mm");
        for (ZonedDateTime t = first; t.toInstant().toEpochMilli() <= startMs + spanMs; t = t.plus(step)) {
            double x = LABELS + (t.toInstant().toEpochMilli() - startMs) / msPerPx;
            if (x < LABELS) {
                continue;
            }
            Line grid = new Line(x, TOP, x, bottom + 4);
            grid.getStyleClass().add("timeline-grid");
            nodes.add(grid);
            Label tick = label(format.format(t), "timeline-tick");
            tick.relocate(x - 18, bottom + 6);
            nodes.add(tick);
        }
    }

    private static Label label(String text, String style) {
        Label label = new Label(text);
        label.getStyleClass().add(style);
        label.setManaged(false);
        return label;
    }
}
