package dev.pgdeck.app.sql;

/** How the editor charts its result. */
public enum SqlChartKind {
    LINE("line"),
    BAR("bar");

    private final String label;

    SqlChartKind(String label) {
        this.label = label;
    }

    @Override
    public String toString() {
        return label;
    }
}
