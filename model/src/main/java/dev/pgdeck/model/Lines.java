package dev.pgdeck.model;

import java.util.ArrayList;
import java.util.List;

/** Splits command output into lines without regexes (hot path for 20,000-line listings). */
public final class Lines {
    private Lines() {}

    /** The lines of {@code text}; a trailing newline does not make an extra empty line; "\r\n" is accepted. */
    public static List<String> of(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        int n = text.length();
        while (start < n) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = n;
            }
            int stop = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
            lines.add(text.substring(start, stop));
            start = end + 1;
        }
        return lines;
    }

    public static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
