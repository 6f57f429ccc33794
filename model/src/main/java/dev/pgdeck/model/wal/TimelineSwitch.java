package dev.pgdeck.model.wal;

/** One line of a timeline history file: WAL before {@code switchLsn} belongs to {@code parentTimeline}. */
public record TimelineSwitch(int parentTimeline, Lsn switchLsn, String reason) {
}
