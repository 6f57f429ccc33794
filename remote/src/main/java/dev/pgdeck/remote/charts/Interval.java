package dev.pgdeck.remote.charts;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;

/** The width of a time series' points. Weeks start on Monday (ISO, as PostgreSQL's date_trunc). */
public enum Interval {
    DAY("day"), WEEK("week"), MONTH("month");

    private final String sqlName;

    Interval(String sqlName) {
        this.sqlName = sqlName;
    }

    /** The field name for PostgreSQL's {@code date_trunc}. */
    public String sqlName() {
        return sqlName;
    }

    public LocalDate bucketStart(LocalDate day) {
        return switch (this) {
            case DAY -> day;
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> day.withDayOfMonth(1);
        };
    }

    /** The first day after the bucket that starts on {@code start}. */
    public LocalDate bucketEnd(LocalDate start) {
        return switch (this) {
            case DAY -> start.plusDays(1);
            case WEEK -> start.plusWeeks(1);
            case MONTH -> start.plusMonths(1);
        };
    }

    @Override
    public String toString() {
        return sqlName;
    }
}
