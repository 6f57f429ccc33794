package dev.pgdeck.model;

/**
 * The overview of one PostgreSQL instance. When the instance could not be read, {@code error} says why and the
 * values that need a connection are null.
 */
public record InstanceStatus(String name, int port, String version, boolean running, Long dataSizeBytes,
                             ArchiverStats archiver, Integer baseBackupCount, String error) {
}
