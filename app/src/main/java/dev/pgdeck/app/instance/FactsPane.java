package dev.pgdeck.app.instance;

import java.util.List;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.scene.control.Label;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;

/** Label / value rows, rebuilt whenever its facts change; each value label has the fact's id. */
public final class FactsPane extends GridPane {
    public FactsPane() {
        getStyleClass().add("facts");
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(150);
        getColumnConstraints().add(labels);
    }

    /** Shows {@code facts} now and after every change. */
    public void bind(ObservableList<Fact> facts) {
        show(facts);
        facts.addListener((ListChangeListener<Fact>) change -> show(facts));
    }

    private void show(List<Fact> facts) {
        getChildren().clear();
        for (int row = 0; row < facts.size(); row++) {
            Fact fact = facts.get(row);
            Label label = new Label(fact.label());
            label.getStyleClass().add("fact-label");
            Label value = new Label(fact.value());
            value.setId(fact.id());
            value.getStyleClass().add("fact-value");
            value.setWrapText(true);
            addRow(row, label, value);
        }
    }
}
