package dev.pgdeck.model.restic;

import dev.pgdeck.model.ParseException;
import dev.pgdeck.model.json.Json;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code restic snapshots --json}: a JSON array (printed as {@code []} when there are none). Members restic
 * adds in later versions (program_version, summary, ...) are ignored.
 */
public final class ResticSnapshotsParser {
    public static final String SOURCE = "restic snapshots --json";

    private ResticSnapshotsParser() {}

    /** The snapshots, oldest first. */
    public static List<ResticSnapshot> parse(String output) throws ParseException {
        Json json = new Json(SOURCE);
        List<Object> items = json.array(json.parse(output), "the output");
        List<ResticSnapshot> snapshots = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String what = "snapshot " + (i + 1);
            Map<String, Object> o = json.object(items.get(i), what);
            String id = json.string(o, "id", what);
            String time = json.string(o, "time", what);
            OffsetDateTime at;
            try {
                at = OffsetDateTime.parse(time);
            } catch (DateTimeParseException e) {
                throw new ParseException(SOURCE, what + " \"time\" should be an RFC 3339 time, found \"" + time + "\"");
            }
            String shortId = json.optString(o, "short_id", what);
            snapshots.add(new ResticSnapshot(id, shortId != null ? shortId : id.substring(0, Math.min(8, id.length())),
                    at, json.optString(o, "hostname", what), json.optString(o, "username", what),
                    json.strings(o, "paths", what), json.strings(o, "tags", what), json.string(o, "tree", what),
                    json.optString(o, "parent", what)));
        }
        snapshots.sort(Comparator.comparing(s -> s.time().toInstant()));
        return List.copyOf(snapshots);
    }
}
