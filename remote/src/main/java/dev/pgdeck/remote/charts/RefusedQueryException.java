package dev.pgdeck.remote.charts;

import java.sql.SQLException;

/** SQL the editor does not send to the server at all (not exactly one query); the message is one line for the analyst. */
public final class RefusedQueryException extends SQLException {
    public RefusedQueryException(String message) {
        super(message);
    }
}
