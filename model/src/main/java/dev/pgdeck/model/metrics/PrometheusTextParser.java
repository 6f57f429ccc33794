package dev.pgdeck.model.metrics;

import dev.pgdeck.model.Lines;
import dev.pgdeck.model.ParseException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the Prometheus text exposition format (0.0.4), as node_exporter's textfile collector expects it. Any metric
 * name is accepted; a line that does not follow the format is an error naming the line, since node_exporter would
 * reject the whole file too. Empty input is no samples (a file with nothing to say yet).
 */
public final class PrometheusTextParser {
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    private final String source;
    private final String line;
    private final int lineNo;
    private int pos;

    private PrometheusTextParser(String source, String line, int lineNo) {
        this.source = source;
        this.line = line;
        this.lineNo = lineNo;
    }

    /** @param source the file (or command) the text came from, for error messages */
    public static Metrics parse(String source, String text) throws ParseException {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> help = new HashMap<>();
        Map<String, String> types = new HashMap<>();
        if (text == null) {
            return new Metrics(samples, help, types);
        }
        int lineNo = 0;
        for (String line : Lines.of(text)) {
            lineNo++;
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.startsWith("#")) {
                comment(source, line, lineNo, trimmed, help, types);
                continue;
            }
            samples.add(new PrometheusTextParser(source, line, lineNo).sample());
        }
        return new Metrics(samples, help, types);
    }

    private static void comment(String source, String line, int lineNo, String trimmed, Map<String, String> help,
                                Map<String, String> types) throws ParseException {
        String[] words = trimmed.substring(1).strip().split("[ \t]+", 3);
        if (words[0].equals("HELP") || words[0].equals("TYPE")) {
            if (words.length < 2 || !isMetricName(words[1])) {
                throw new ParseException(source, lineNo, line, "\"# " + words[0] + " <metric name> ...\"");
            }
            String rest = words.length == 3 ? words[2] : "";
            if (words[0].equals("HELP")) {
                help.put(words[1], rest.replace("\\n", "\n").replace("\\\\", "\\"));
            } else if (!TYPES.contains(rest)) {
                throw new ParseException(source, lineNo, line, "a type of counter, gauge, histogram, summary or untyped");
            } else if (types.put(words[1], rest) != null) {
                throw new ParseException(source, lineNo, line, "one TYPE line per metric, but " + words[1] + " has two");
            }
        }
        // Any other comment is free text.
    }

    private Sample sample() throws ParseException {
        skipBlanks();
        String name = metricName();
        Map<String, String> labels = new LinkedHashMap<>();
        if (peek() == '{') {
            pos++;
            labels(labels);
        }
        if (!skipBlanks()) {
            throw error("a space and a value after the metric name and labels");
        }
        double value = value(token());
        Long timestamp = null;
        if (skipBlanks() && pos < line.length()) {
            String ts = token();
            try {
                timestamp = Long.parseLong(ts);
            } catch (NumberFormatException e) {
                throw error("a timestamp in milliseconds after the value, not \"" + ts + "\"");
            }
            skipBlanks();
        }
        if (pos < line.length()) {
            throw error("the end of the line after the value and timestamp");
        }
        return new Sample(name, labels, value, timestamp);
    }

    private String metricName() throws ParseException {
        int start = pos;
        while (pos < line.length() && isNameChar(line.charAt(pos), pos == start, true)) {
            pos++;
        }
        if (pos == start) {
            throw error("a metric name ([a-zA-Z_:][a-zA-Z0-9_:]*) at the start of the line");
        }
        return line.substring(start, pos);
    }

    private void labels(Map<String, String> labels) throws ParseException {
        while (true) {
            skipBlanks();
            if (peek() == '}') {
                pos++;
                return;
            }
            int start = pos;
            while (pos < line.length() && isNameChar(line.charAt(pos), pos == start, false)) {
                pos++;
            }
            if (pos == start) {
                throw error("a label name or '}'");
            }
            String key = line.substring(start, pos);
            skipBlanks();
            if (peek() != '=') {
                throw error("'=' after label " + key);
            }
            pos++;
            skipBlanks();
            if (peek() != '"') {
                throw error("a quoted value for label " + key);
            }
            pos++;
            if (labels.put(key, labelValue()) != null) {
                throw error("label " + key + " only once");
            }
            skipBlanks();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c != '}') {
                throw error("',' or '}' after label " + key);
            }
        }
    }

    private String labelValue() throws ParseException {
        StringBuilder sb = new StringBuilder();
        while (pos < line.length()) {
            char c = line.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c == '\\') {
                char e = peek();
                pos++;
                switch (e) {
                    case '\\' -> sb.append('\\');
                    case '"' -> sb.append('"');
                    case 'n' -> sb.append('\n');
                    default -> throw error("\\\\, \\\" or \\n after a backslash in a label value");
                }
            } else {
                sb.append(c);
            }
        }
        throw error("a closing '\"' for the label value (the line ends inside it)");
    }

    private double value(String token) throws ParseException {
        switch (token) {
            case "NaN": return Double.NaN;
            case "+Inf": case "Inf": return Double.POSITIVE_INFINITY;
            case "-Inf": return Double.NEGATIVE_INFINITY;
            default:
                // Double.parseDouble also takes "Infinity", hex floats and a trailing 'd'/'f': not Prometheus.
                if (token.isEmpty() || !token.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
                    throw error("a number, NaN, +Inf or -Inf as the value, not \"" + token + "\"");
                }
                return Double.parseDouble(token);
        }
    }

    private String token() {
        int start = pos;
        while (pos < line.length() && line.charAt(pos) != ' ' && line.charAt(pos) != '\t') {
            pos++;
        }
        return line.substring(start, pos);
    }

    private boolean skipBlanks() {
        int start = pos;
        while (pos < line.length() && (line.charAt(pos) == ' ' || line.charAt(pos) == '\t')) {
            pos++;
        }
        return pos > start;
    }

    private char peek() {
        return pos < line.length() ? line.charAt(pos) : '\0';
    }

    private ParseException error(String expected) {
        return new ParseException(source, lineNo, line, expected + " (at column " + (pos + 1) + ")");
    }

    private static boolean isMetricName(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isNameChar(s.charAt(i), i == 0, true)) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    private static boolean isNameChar(char c, boolean first, boolean colonAllowed) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colonAllowed && c == ':')
                || (!first && c >= '0' && c <= '9');
    }
}
