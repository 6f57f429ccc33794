package dev.pgdeck.remote.restore;

/** Reads {@code df -Pk <dir>}: a header, then one line whose fourth field is the space available in KB. */
final class DfOutput {
    private DfOutput() {}

    static Long availableKb(String out) {
        String[] lines = out.strip().split("\n");
        if (lines.length < 2) {
            return null;
        }
        String[] f = lines[lines.length - 1].strip().split("\\s+");
        try {
            return f.length >= 6 ? Long.valueOf(f[f.length - 3]) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
