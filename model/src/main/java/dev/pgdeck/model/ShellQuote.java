package dev.pgdeck.model;

import java.util.List;
import java.util.regex.Pattern;

/** POSIX shell quoting: every value that reaches a host's shell goes through here. */
public final class ShellQuote {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private ShellQuote() {}

    /** Returns {@code value} as one literal shell word; words that need no quoting are left bare for readability. */
    public static String quote(String value) {
        if (value == null) {
            throw new IllegalArgumentException("a shell argument cannot be null");
        }
        if (!value.isEmpty() && SAFE.matcher(value).matches()) {
            return value;
        }
        return "'" + value.replace("'", "'\"'\"'") + "'";
    }

    public static String join(List<String> words) {
        StringBuilder sb = new StringBuilder();
        for (String word : words) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(quote(word));
        }
        return sb.toString();
    }
}
