package dev.pgdeck.app.restore;

import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** One step of the running plan as the step list shows it: number, name, state and seconds (live). */
public final class StepRow {
    private final int number;
    private final String name;
    private final StringProperty state = new SimpleStringProperty("waiting");
    private final StringProperty seconds = new SimpleStringProperty("");

    StepRow(int number, String name) {
        this.number = number;
        this.name = name;
    }

    public int number() {
        return number;
    }

    public String name() {
        return name;
    }

    public ReadOnlyStringProperty stateProperty() {
        return state;
    }

    public ReadOnlyStringProperty secondsProperty() {
        return seconds;
    }

    void set(String newState, String newSeconds) {
        state.set(newState);
        seconds.set(newSeconds);
    }
}
