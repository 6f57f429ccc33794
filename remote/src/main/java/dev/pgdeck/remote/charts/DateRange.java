package dev.pgdeck.remote.charts;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/** Days {@code from} to {@code to}, both included (UTC days, as the marts count them). */
public record DateRange(LocalDate from, LocalDate to) {
    public DateRange {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("the range ends (" + to + ") before it starts (" + from + ")");
        }
    }

    /** The last {@code days} days up to and including {@code today}. */
    public static DateRange lastDays(int days, LocalDate today) {
        return new DateRange(today.minusDays(days - 1L), today);
    }

    public long days() {
        return ChronoUnit.DAYS.between(from, to) + 1;
    }

    /** As many days, just before this range. */
    public DateRange previous() {
        return new DateRange(from.minusDays(days()), from.minusDays(1));
    }

    @Override
    public String toString() {
        return from + " – " + to;
    }
}
