package dev.pgdeck.remote.charts;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The charts pgdeck draws from the warehouse's marts. */
public enum Chart {
    DAU("dau", "Active users", Kind.USERS),
    WAU("wau", "Weekly active users (rolling 7 days)", Kind.USERS),
    MAU("mau", "Monthly active users (rolling 30 days)", Kind.USERS),
    EVENTS("events-per-day", "Events", Kind.COUNT),
    SESSIONS("sessions", "Sessions", Kind.COUNT),
    PAGEVIEWS("pageviews", "Page views", Kind.COUNT),
    TOP_PAGES("top-pages", "Top pages", Kind.CATEGORIES),
    EVENTS_BY_NAME("events", "Events by name", Kind.CATEGORIES);

    /** USERS: distinct users, not additive; COUNT: additive per day; CATEGORIES: one bar per page or event name. */
    public enum Kind { USERS, COUNT, CATEGORIES }

    private final String cliName;
    private final String title;
    private final Kind kind;

    Chart(String cliName, String title, Kind kind) {
        this.cliName = cliName;
        this.title = title;
        this.kind = kind;
    }

    public String cliName() {
        return cliName;
    }

    public String title() {
        return title;
    }

    public Kind kind() {
        return kind;
    }

    public boolean timeSeries() {
        return kind != Kind.CATEGORIES;
    }

    /**
     * The one figure that sums up a range, compared with the previous period: the total for counts and categories,
     * the mean of the points for users (distinct users do not add up).
     */
    public double figure(ChartSeries series) {
        double sum = series.points().stream().mapToDouble(ChartPoint::value).sum();
        if (kind == Kind.USERS) {
            return series.points().isEmpty() ? 0 : sum / series.points().size();
        }
        return sum;
    }

    public static Optional<Chart> byCliName(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(c -> c.cliName.equals(wanted)).findFirst();
    }

    @Override
    public String toString() {
        return title;
    }
}
