package dev.pgdeck.model;

import java.nio.charset.StandardCharsets;

/**
 * PostgreSQL configuration-file quoting: every value pgdeck writes into postgresql.conf or postgresql.auto.conf goes
 * through here, as {@link ShellQuote} does for shell words. The server's configuration lexer (guc-file.l) reads a
 * quoted value as {@code '([^'\\\n]|\\.|'')*'} and then undoes escapes (DeescapeQuotedString): {@code ''} and
 * {@code \'} are a quote, {@code \b \f \n \r \t} the control characters, {@code \} and one to three octal digits a
 * byte, and a backslash before anything else is dropped. So doubling quotes alone is not enough: a backslash in the
 * value would escape what follows ({@code \047} becomes a quote that closes the shell quoting of a
 * {@code restore_command}) and a trailing backslash would swallow the closing quote and break the file. Here every
 * backslash is doubled, quotes doubled, and every control character written as an escape (a raw newline cannot be
 * inside a value at all).
 */
public final class ConfQuote {
    private ConfQuote() {}

    /**
     * Returns {@code value} as one configuration string literal that the server reads back exactly as {@code value}.
     *
     * @throws IllegalArgumentException for a value no configuration setting can hold (see {@link #problem})
     */
    public static String quote(String value) {
        String problem = problem(value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        StringBuilder sb = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\'' -> sb.append("''");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        // always three digits, so a digit that follows is never read as part of the escape
                        sb.append('\\').append(String.format("%03o", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('\'').toString();
    }

    /**
     * Why {@code value} cannot be a configuration value, in one line naming the character, or null when it can. The
     * server keeps values as C strings (a NUL would end it: {@code \000} is read as the end) and the file is UTF-8
     * (a lone UTF-16 surrogate has no UTF-8 form: Java would write {@code ?} in its place).
     */
    public static String problem(String value) {
        if (value == null) {
            return "a configuration value cannot be null";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\0') {
                return "\"" + printable(value) + "\" holds a NUL character (position " + (i + 1) + "), which"
                        + " PostgreSQL's configuration cannot hold";
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "\"" + printable(value) + "\" holds a lone UTF-16 surrogate (position " + (i + 1) + "),"
                        + " which is not a character and has no UTF-8 form";
            }
        }
        return null;
    }

    /** The value's length in bytes as the server counts it (UTF-8), for settings with a byte limit. */
    public static int utf8Length(String value) {
        return value.getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * Text placed inside {@code archive_command} or {@code restore_command}, where the server replaces {@code %f},
     * {@code %p}, {@code %r} and {@code %%} before the shell sees the line: each {@code %} is doubled so that a path
     * holding {@code %p} stays that path.
     */
    public static String percentLiteral(String text) {
        return text.replace("%", "%%");
    }

    /** The value with control characters shown as escapes, for one-line messages. */
    private static String printable(String value) {
        StringBuilder sb = new StringBuilder();
        value.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f || (cp >= 0xd800 && cp <= 0xdfff)) {
                sb.append(String.format("\\u%04x", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }
}
