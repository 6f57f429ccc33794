package dev.pgdeck.model.systemd;

import dev.pgdeck.model.ParseException;
import dev.pgdeck.model.json.Json;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads systemctl's JSON tables. In {@code list-timers --all --output=json} "next" and "last" are microseconds since
 * the epoch, null (or 0) when there is none; "left" and "passed" are ignored because their meaning changed between
 * systemd versions (absolute in v252, monotonic "passed" in v255+). "activates" is a string, an array when the timer
 * triggers several units, or null.
 */
public final class SystemctlParser {
    public static final String TIMERS = "systemctl list-timers --all --output=json";
    public static final String FAILED = "systemctl list-units --failed --output=json";

    private SystemctlParser() {}

    public static List<TimerStatus> timers(String output) throws ParseException {
        Json json = new Json(TIMERS);
        List<Object> rows = json.array(json.parse(output), "the output");
        List<TimerStatus> timers = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            String what = "timer " + (i + 1);
            Map<String, Object> row = json.object(rows.get(i), what);
            String unit = json.string(row, "unit", what);
            timers.add(new TimerStatus(unit, activates(json, row, what), micros(json, row, "next", what),
                    micros(json, row, "last", what)));
        }
        return List.copyOf(timers);
    }

    public static List<FailedUnit> failedUnits(String output) throws ParseException {
        Json json = new Json(FAILED);
        List<Object> rows = json.array(json.parse(output), "the output");
        List<FailedUnit> units = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            String what = "unit " + (i + 1);
            Map<String, Object> row = json.object(rows.get(i), what);
            units.add(new FailedUnit(json.string(row, "unit", what), json.optString(row, "load", what),
                    json.optString(row, "active", what), json.optString(row, "sub", what),
                    json.optString(row, "description", what)));
        }
        return List.copyOf(units);
    }

    private static Instant micros(Json json, Map<String, Object> row, String key, String what) throws ParseException {
        if (!row.containsKey(key)) {
            throw new ParseException(json.source(), what + " has no \"" + key + "\" member");
        }
        Long usec = json.optInteger(row, key, what);
        if (usec == null || usec == 0) {
            return null;
        }
        if (usec < 0) {
            throw new ParseException(json.source(), what + " \"" + key + "\" should be microseconds since the epoch, found " + usec);
        }
        return Instant.ofEpochSecond(usec / 1_000_000, (usec % 1_000_000) * 1000);
    }

    private static List<String> activates(Json json, Map<String, Object> row, String what) throws ParseException {
        Object value = row.get("activates");
        if (value == null) {
            return List.of();
        }
        if (value instanceof String s) {
            return s.isEmpty() ? List.of() : List.of(s);
        }
        return json.strings(row, "activates", what);
    }
}
