package dev.pgdeck.remote.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.pgdeck.remote.json.Json;
import dev.pgdeck.remote.posthog.EventSink;
import dev.pgdeck.remote.posthog.Page;
import dev.pgdeck.remote.posthog.PostHogEvent;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * One page of events, validated and encoded as COPY text (UTF-8 bytes) while the response streams in, with its rejects
 * aside. The fetching thread fills it; the writing thread sends it with one COPY and hands it back to be reused, so
 * the engine holds a fixed number of these whatever the number of events (memory: about the page's rows as COPY text).
 */
final class PageBuffer implements EventSink {
    /** A refused event, as received, and why. */
    record Reject(String raw, String reason) {
    }

    private final EventValidator validator = new EventValidator();
    private final List<Reject> rejects = new ArrayList<>();
    private final Set<LocalDate> days = new HashSet<>();
    private final List<String> ids = new ArrayList<>();
    private byte[] bytes = new byte[1 << 20];
    private int length;
    private long lastDay = Long.MIN_VALUE;
    private long staged;
    private Page page;

    @Override
    public void begin() {
        clear();
    }

    @Override
    public void accept(PostHogEvent event) {
        EventValidator.Outcome outcome = validator.check(event);
        if (outcome.event() == null) {
            rejects.add(new Reject(raw(event), outcome.reason()));
            return;
        }
        ValidEvent e = outcome.event();
        ids.add(e.eventId());
        field(e.eventId());
        tab();
        field(e.eventName());
        tab();
        field(e.properties());
        tab();
        field(e.time().toString());
        tab();
        field(e.userId());
        tab();
        field(e.sessionId());
        ensure(1);
        bytes[length++] = '\n';
        long day = Math.floorDiv(e.time().getEpochSecond(), 86_400L);
        if (day != lastDay) {
            // Events come in time order: a new day is rare, so the set sees few calls.
            days.add(LocalDate.ofEpochDay(day));
            lastDay = day;
        }
        staged++;
    }

    /** A response broke off midway: what it brought is dropped, and the page is fetched again. */
    @Override
    public void abort() {
        clear();
    }

    void clear() {
        length = 0;
        staged = 0;
        lastDay = Long.MIN_VALUE;
        rejects.clear();
        days.clear();
        ids.clear();
        page = null;
    }

    void page(Page fetched) {
        this.page = fetched;
    }

    Page page() {
        return page;
    }

    long staged() {
        return staged;
    }

    /** The staged rows' event ids, in order. */
    List<String> ids() {
        return ids;
    }

    List<Reject> rejects() {
        return rejects;
    }

    Set<LocalDate> days() {
        return days;
    }

    /** Sends the rows with one COPY into {@code copySql}'s table; returns the rows staged. */
    long copyInto(CopyManager copy, String copySql) throws SQLException {
        if (staged == 0) {
            return 0;
        }
        CopyIn in = copy.copyIn(copySql);
        try {
            for (int off = 0; off < length; off += 1 << 20) {
                in.writeToCopy(bytes, off, Math.min(1 << 20, length - off));
            }
            long rows = in.endCopy();
            if (rows != staged) {
                throw new SQLException("COPY staged " + rows + " rows, expected " + staged);
            }
            return rows;
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    private void tab() {
        ensure(1);
        bytes[length++] = '\t';
    }

    /** One field in COPY's text format, UTF-8: {@code \N} for null, backslash escapes for \, tab, newline, CR. */
    private void field(String value) {
        if (value == null) {
            ensure(2);
            bytes[length++] = '\\';
            bytes[length++] = 'N';
            return;
        }
        int n = value.length();
        ensure(n * 3 + 2);
        byte[] b = bytes;
        int p = length;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                switch (c) {
                    case '\\': b[p++] = '\\'; b[p++] = '\\'; break;
                    case '\t': b[p++] = '\\'; b[p++] = 't'; break;
                    case '\n': b[p++] = '\\'; b[p++] = 'n'; break;
                    case '\r': b[p++] = '\\'; b[p++] = 'r'; break;
                    default: b[p++] = (byte) c;
                }
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, value.charAt(++i));
                b[p++] = (byte) (0xF0 | (cp >> 18));
                b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                b[p++] = '?'; // an unpaired surrogate, as String.getBytes(UTF_8) writes it
            } else {
                b[p++] = (byte) (0xE0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        length = p;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    private static String raw(PostHogEvent event) {
        try {
            return Json.mapper().writeValueAsString(event.raw());
        } catch (JsonProcessingException e) {
            return String.valueOf(event.raw());
        }
    }
}
