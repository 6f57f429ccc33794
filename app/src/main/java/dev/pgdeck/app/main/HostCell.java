package dev.pgdeck.app.main;

import dev.pgdeck.model.HostStatus;
import dev.pgdeck.model.InstanceStatus;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/** A host in the list: a green or red dot, its name, and one line of what it runs (or why it cannot be read). */
final class HostCell extends ListCell<HostStatus> {
    private final Label dot = new Label("●");
    private final Label name = new Label();
    private final Label detail = new Label();
    private final HBox box = new HBox(6, dot, new VBox(1, name, detail));

    HostCell() {
        dot.getStyleClass().add("host-dot");
        detail.getStyleClass().add("host-detail");
    }

    @Override
    protected void updateItem(HostStatus host, boolean empty) {
        super.updateItem(host, empty);
        if (empty || host == null) {
            setGraphic(null);
            return;
        }
        dot.getStyleClass().removeAll("ok", "warn", "bad");
        dot.getStyleClass().add(worstState(host));
        name.setText(host.name());
        long running = host.instances().stream().filter(InstanceStatus::running).count();
        String stale = host.staleSince() == null ? "" : "stale since " + dev.pgdeck.app.common.Formats.clock(host.staleSince());
        if (host.reachable()) {
            detail.setText(running + " of " + host.instances().size() + " instances running");
            detail.setTooltip(null);
        } else if (host.isConnecting()) {
            detail.setText(host.error());
            detail.setTooltip(null);
        } else {
            detail.setText((stale.isEmpty() ? "" : stale + " · ") + (host.error() == null ? "unreachable" : host.error()));
            detail.setTooltip(new javafx.scene.control.Tooltip(host.error() + (stale.isEmpty() ? "" : "\n" + stale)));
        }
        detail.setMaxWidth(260);
        setGraphic(box);
    }

    /** Green when every instance runs and is healthy; amber on a warning; red when anything failed. */
    private static String worstState(HostStatus host) {
        if (host.isConnecting()) {
            return "warn"; // not known to be down: not answered yet
        }
        if (!host.reachable() || !host.instances().stream().allMatch(InstanceStatus::running)) {
            return "bad";
        }
        boolean fail = host.instances().stream().anyMatch(i -> i.health() != null && "fail".equals(i.health().state()));
        boolean warn = host.instances().stream().anyMatch(i -> i.health() != null && "warn".equals(i.health().state()));
        return fail ? "bad" : warn ? "warn" : "ok";
    }
}
