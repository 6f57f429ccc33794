package dev.pgdeck.model;

/**
 * Host output that does not have the expected shape. The message names the source (which command or file), the
 * line, and what was expected, so that it can be shown to the operator as is.
 */
public class ParseException extends Exception {
    private final String source;
    private final int lineNumber;

    public ParseException(String source, int lineNumber, String line, String expected) {
        super(source + (lineNumber > 0 ? " line " + lineNumber : "") + ": expected " + expected
                + (line == null ? "" : ", got " + shorten(line)));
        this.source = source;
        this.lineNumber = lineNumber;
    }

    /** A problem with the output as a whole (e.g. empty, or a required entry missing). */
    public ParseException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
        this.lineNumber = 0;
    }

    public String source() {
        return source;
    }

    /** 1-based line number, or 0 when the problem is not tied to one line. */
    public int lineNumber() {
        return lineNumber;
    }

    static String shorten(String line) {
        String shown = line.length() > 120 ? line.substring(0, 117) + "..." : line;
        return '"' + shown.replace("\t", "\\t").replace("\r", "\\r") + '"';
    }
}
