package dev.pgdeck.app.charts;

/** The range picker's choices: the last N days up to today, or dates of one's own. */
public enum RangePreset {
    LAST_7(7), LAST_30(30), LAST_90(90), LAST_180(180), CUSTOM(0);

    private final int days;

    RangePreset(int days) {
        this.days = days;
    }

    public int days() {
        return days;
    }

    @Override
    public String toString() {
        return this == CUSTOM ? "Custom" : "Last " + days + " days";
    }
}
