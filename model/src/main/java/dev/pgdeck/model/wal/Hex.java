package dev.pgdeck.model.wal;

/** Upper-case hex as PostgreSQL writes it in WAL file names; hand-rolled because listings can be 20,000 lines. */
final class Hex {
    private static final char[] DIGITS = "0123456789ABCDEF".toCharArray();

    private Hex() {}

    /** The value of the 8 upper-case hex digits at {@code offset}, or -1 when they are not that. */
    static long parse8(String s, int offset) {
        if (offset + 8 > s.length()) {
            return -1;
        }
        long v = 0;
        for (int i = offset; i < offset + 8; i++) {
            char c = s.charAt(i);
            int d;
            if (c >= '0' && c <= '9') {
                d = c - '0';
            } else if (c >= 'A' && c <= 'F') {
                d = c - 'A' + 10;
            } else {
                return -1;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    static void append8(StringBuilder sb, long value) {
        for (int shift = 28; shift >= 0; shift -= 4) {
            sb.append(DIGITS[(int) ((value >>> shift) & 0xF)]);
        }
    }
}
