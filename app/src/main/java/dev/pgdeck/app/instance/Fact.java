package dev.pgdeck.app.instance;

/** One figure of the detail pane: {@code id} names its value label (for tests and CSS), {@code label} says what it is. */
public record Fact(String id, String label, String value) {
    public Fact {
        value = value == null ? "" : value;
    }
}
