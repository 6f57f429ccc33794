package dev.pgdeck.model.restore;

/**
 * An extended regular expression (pgrep/pkill {@code -f}) matching the command lines that contain a path. Every
 * special character is escaped, and the first plain one is written as a bracket expression: the pattern then does
 * not match the command line of the pkill (or of the shell or sudo around it) that carries it.
 */
public final class CommandLinePattern {
    private static final String SPECIAL = "\\.[]()*+?{}|^$";

    private CommandLinePattern() {}

    public static String containing(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("an empty pattern would match every process");
        }
        StringBuilder sb = new StringBuilder();
        boolean bracketed = false;
        for (char c : text.toCharArray()) {
            if (SPECIAL.indexOf(c) >= 0) {
                sb.append('\\').append(c);
            } else if (!bracketed && (Character.isLetterOrDigit(c) || c == '/' || c == '_' || c == '-')) {
                sb.append('[').append(c).append(']');
                bracketed = true;
            } else {
                sb.append(c);
            }
        }
        if (!bracketed) {
            throw new IllegalArgumentException("\"" + text + "\" has no plain character to anchor a pattern on");
        }
        return sb.toString();
    }
}
