package dev.pgdeck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfQuoteTest {
    /**
     * PostgreSQL's reading of a quoted value (guc-file.l's STRING rule, then DeescapeQuotedString), written from the
     * server's source so the quoting can be checked against it here; the real server reads the same corpus in
     * remote's ConfQuoteServerTest.
     */
    static String serverReads(String literal) {
        if (!literal.matches("'([^'\\\\\\n]|\\\\.|'')*'")) {
            throw new IllegalArgumentException("the server's lexer does not read " + literal + " as one value");
        }
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < literal.length() - 1; i++) {
            char c = literal.charAt(i);
            if (c == '\\') {
                char n = literal.charAt(++i);
                switch (n) {
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                        int k = 0;
                        int v = 0;
                        while (k < 3 && literal.charAt(i + k) >= '0' && literal.charAt(i + k) <= '7') {
                            v = (v << 3) + (literal.charAt(i + k) - '0');
                            k++;
                        }
                        i += k - 1;
                        out.append((char) (v & 0xff));
                    }
                    default -> out.append(n);
                }
            } else if (c == '\'' && literal.charAt(i + 1) == '\'') {
                out.append(literal.charAt(++i));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static final List<String> HOSTILE = List.of("", "plain", "it's", "''", "'", "\\", "a\\", "\\\\", "\\047",
            "/x\\047;touch /tmp/p;\\047y", "a\\'b", "line\nbreak", "tab\there", "cr\rlf", "\u0001\u001f\u007f7",
            "\\0", "\\n", "Zürich ☃ 𝄞", "%p %f %% %r", "$(id)", "`id`", "# not a comment", "x = 'y'",
            "trailing space ", "\b\f");

    @Test
    void theServersReadingGivesEveryHostileValueBack() {
        for (String value : HOSTILE) {
            assertEquals(value, serverReads(ConfQuote.quote(value)), () -> "through " + ConfQuote.quote(value));
        }
    }

    @Test
    void escapesWhatTheParserReads() {
        assertEquals("'it''s'", ConfQuote.quote("it's"));
        assertEquals("'/x\\\\047;touch'", ConfQuote.quote("/x\\047;touch"));
        assertEquals("'ends\\\\'", ConfQuote.quote("ends\\"));
        assertEquals("'a\\nb\\tc\\001\\1777'", ConfQuote.quote("a\nb\tc\u0001\u007f7"));
        assertEquals("'Zürich'", ConfQuote.quote("Zürich"));
    }

    @Test
    void theOldQuotingWasReadDifferently() {
        // what confString wrote: only quotes doubled; the server turned \047 into a quote and lost the backslash
        String old = "'" + "/x\\047;touch /tmp/p;\\047y".replace("'", "''") + "'";
        assertEquals("/x';touch /tmp/p;'y", serverReads(old));
    }

    @Test
    void refusesWhatNoSettingCanHold() {
        IllegalArgumentException nul = assertThrows(IllegalArgumentException.class, () -> ConfQuote.quote("a\0b"));
        assertTrue(nul.getMessage().contains("NUL character (position 2)"), nul.getMessage());
        assertTrue(!nul.getMessage().contains("\0") && !nul.getMessage().contains("\n"), nul.getMessage());
        assertNotNull(ConfQuote.problem("lone \ud800 surrogate"));
        assertNotNull(ConfQuote.problem("\udc00"));
        assertNotNull(ConfQuote.problem(null));
        assertNull(ConfQuote.problem("𝄞 paired"));
    }

    @Test
    void doublesPercentForCommandPlaceholders() {
        assertEquals("/arch%%p/%%f", ConfQuote.percentLiteral("/arch%p/%f"));
    }
}
