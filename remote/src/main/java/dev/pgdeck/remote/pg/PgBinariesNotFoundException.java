package dev.pgdeck.remote.pg;

/** No usable PostgreSQL server binaries; the message says where pgdeck looked and what to install. */
public class PgBinariesNotFoundException extends Exception {
    public PgBinariesNotFoundException(String message) {
        super(message);
    }
}
