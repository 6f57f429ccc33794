package dev.pgdeck.remote.pg;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PostgreSQL version strings. */
public final class PgVersion {
    private static final Pattern NUMBER = Pattern.compile("(\\d+(?:\\.\\d+)?)");

    private PgVersion() {}

    /** {@code postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)} or {@code 15.18 (Debian ...)} gives 15.18. */
    public static String fromVersionOutput(String output) {
        String text = output.contains("PostgreSQL)") ? output.substring(output.indexOf("PostgreSQL)") + 11) : output;
        Matcher m = NUMBER.matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException("not a PostgreSQL version: " + output.strip());
        }
        return m.group(1);
    }

    /** The major version of {@code 15.18} is {@code 15}. */
    public static String major(String version) {
        int dot = version.indexOf('.');
        return dot < 0 ? version : version.substring(0, dot);
    }
}
