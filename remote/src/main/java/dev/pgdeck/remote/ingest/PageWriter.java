package dev.pgdeck.remote.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.pgdeck.remote.json.Json;
import dev.pgdeck.remote.posthog.EventSink;
import dev.pgdeck.remote.posthog.PostHogEvent;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * Writes one page's valid events through COPY into the session's staging table while the page is still streaming
 * in, and keeps its rejects aside. Holds at most one buffer of rows (~256 KB), never the page.
 */
final class PageWriter implements EventSink {
    /** A refused event, as received, and why. */
    record Reject(String raw, String reason) {
    }

    private static final int FLUSH_CHARS = 256 * 1024;

    private final java.sql.Connection connection;
    private final CopyManager copy;
    private final String copySql;
    private final EventValidator validator = new EventValidator();
    private final StringBuilder buffer = new StringBuilder(FLUSH_CHARS + 8192);
    private final List<Reject> rejects = new ArrayList<>();
    private final Set<LocalDate> days = new HashSet<>();
    private CopyIn copyIn;
    private long staged;

    PageWriter(java.sql.Connection connection, CopyManager copy, String stagingTable) {
        this.connection = connection;
        this.copy = copy;
        this.copySql = "COPY " + stagingTable + " (event_id, event_name, properties, ts, user_id, session_id) FROM STDIN";
    }

    @Override
    public void begin() {
        abort();
        try {
            copyIn = copy.copyIn(copySql);
        } catch (SQLException e) {
            throw new StagingException(e);
        }
    }

    @Override
    public void accept(PostHogEvent event) {
        EventValidator.Outcome outcome = validator.check(event);
        if (outcome.event() == null) {
            rejects.add(new Reject(raw(event), outcome.reason()));
            return;
        }
        ValidEvent e = outcome.event();
        CopyText.row(buffer, e.eventId(), e.eventName(), e.properties(), e.time().toString(), e.userId(), e.sessionId());
        days.add(LocalDate.ofInstant(e.time(), ZoneOffset.UTC));
        staged++;
        if (buffer.length() >= FLUSH_CHARS) {
            flush();
        }
    }

    @Override
    public void abort() {
        buffer.setLength(0);
        rejects.clear();
        days.clear();
        staged = 0;
        if (copyIn != null && copyIn.isActive()) {
            try {
                copyIn.cancelCopy();
            } catch (SQLException e) {
                // Cancelling fails the COPY on the server: expected.
            }
        }
        if (copyIn != null) {
            // A cancelled COPY leaves the transaction aborted; the page starts again in a fresh one.
            try {
                connection.rollback();
            } catch (SQLException e) {
                throw new StagingException(e);
            }
        }
        copyIn = null;
    }

    /** Ends the COPY; returns the rows staged. */
    long finish() throws SQLException {
        if (copyIn == null) {
            return 0;
        }
        flush();
        long rows = copyIn.endCopy();
        copyIn = null;
        if (rows != staged) {
            throw new SQLException("COPY staged " + rows + " rows, expected " + staged);
        }
        return rows;
    }

    List<Reject> rejects() {
        return rejects;
    }

    Set<LocalDate> days() {
        return days;
    }

    private void flush() {
        if (buffer.length() == 0) {
            return;
        }
        byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
        buffer.setLength(0);
        try {
            copyIn.writeToCopy(bytes, 0, bytes.length);
        } catch (SQLException e) {
            throw new StagingException(e);
        }
    }

    private static String raw(PostHogEvent event) {
        try {
            return Json.mapper().writeValueAsString(event.raw());
        } catch (JsonProcessingException e) {
            return String.valueOf(event.raw());
        }
    }

    /** A staging write failed: not PostHog's fault, so not retried. */
    static final class StagingException extends RuntimeException {
        StagingException(SQLException cause) {
            super(cause.getMessage(), cause);
        }

        SQLException sqlCause() {
            return (SQLException) getCause();
        }
    }
}
