package dev.pgdeck.model.restore;

/**
 * Seed 002's scenario 4: the base backup and the WAL archive come from restic snapshots (the local copies are
 * lost). They are restored into a staging directory first; the restore then reads them from there.
 */
public record ResticSource(String baseSnapshot, String walSnapshot) {
}
