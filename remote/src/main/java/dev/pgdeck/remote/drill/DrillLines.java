package dev.pgdeck.remote.drill;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.pgdeck.model.ParseException;
import dev.pgdeck.remote.json.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * pgdeck's drill log as text: one JSON {@link DrillRecord} per line. Apart from the restore package that writes the
 * log, so that the host probe, which only reads it, does not depend on restores.
 */
public final class DrillLines {
    private DrillLines() {}

    /** Whether the {@code drills} command failed only because no drill was ever logged (the file is not there). */
    public static boolean missing(String stderr) {
        return stderr.contains("No such file");
    }

    /** The records of the {@code drills} command's output (the log's JSON lines), in the log's order. */
    public static List<DrillRecord> parse(String out) throws ParseException {
        List<DrillRecord> records = new ArrayList<>();
        int lineNo = 0;
        for (String line : out.split("\n")) {
            lineNo++;
            if (!line.isBlank()) {
                try {
                    records.add(Json.mapper().readValue(line, DrillRecord.class));
                } catch (JsonProcessingException e) {
                    throw new ParseException("pgdeck's drill log", lineNo, line, "one JSON drill record per line");
                }
            }
        }
        return records;
    }

    /** One record as its log line. */
    public static String line(DrillRecord record) {
        try {
            return Json.mapper().writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The newest successful drill of {@code records}. */
    public static Optional<DrillRecord> lastSuccessful(List<DrillRecord> records) {
        return records.stream().filter(DrillRecord::successful).max(Comparator.comparing(DrillRecord::at));
    }
}
