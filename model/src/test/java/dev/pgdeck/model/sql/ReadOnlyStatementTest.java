package dev.pgdeck.model.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.ParseException;
import dev.pgdeck.model.sql.ReadOnlyStatement.Kind;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReadOnlyStatementTest {
    @Test
    void acceptsOneQueryOfEachKind() throws ParseException {
        for (String q : new String[] {"SELECT 1", "select day from web_analytics.mart_daily_active_users",
                "WITH x AS (SELECT 1) SELECT * FROM x", "VALUES (1), (2)", "TABLE web_analytics.daily_summary",
                "((SELECT 1) UNION (SELECT 2))", "  \n-- a note\nSELECT 1 /* why */ ;  -- done\n"}) {
            assertEquals(Kind.QUERY, ReadOnlyStatement.of(q).kind(), q);
        }
        assertEquals("SELECT 1 /* why */ + 2", ReadOnlyStatement.of("-- a\nSELECT 1 /* why */ + 2 ; /* b */").statement());
        assertEquals(Kind.EXPLAIN, ReadOnlyStatement.of("EXPLAIN SELECT 1").kind());
        assertEquals(Kind.EXPLAIN, ReadOnlyStatement.of("explain (costs off, format json) select 1").kind());
        assertEquals(Kind.EXPLAIN, ReadOnlyStatement.of("EXPLAIN VERBOSE WITH x AS (SELECT 1) SELECT 1").kind());
        assertEquals(Kind.EXPLAIN, ReadOnlyStatement.of("EXPLAIN (SELECT 1)").kind());
    }

    @Test
    void semicolonsAndKeywordsInsideLiteralsAndCommentsCountForNothing() throws ParseException {
        for (String q : new String[] {
            "SELECT 'a; DROP TABLE x'",
            "SELECT 'it''s; ALTER ROLE r PASSWORD ''x'''",
            "SELECT E'\\'; ALTER ROLE r PASSWORD $$x$$ --'",
            "SELECT $$; BEGIN READ WRITE; $$",
            "SELECT $body$ $$; $b$ ; $body$",
            "SELECT \"a;b\"\"c\" FROM (SELECT 1 AS \"a;b\"\"c\") t",
            "SELECT 1 /* ; /* nested ; */ still a comment ; */",
            "SELECT 1 -- ; ALTER ROLE\n",
            "SELECT U&'\\0041;' , U&\"x;\"",
            "SELECT B'01', X'1F', N'n;'",
            "SELECT a$b$c FROM (SELECT 1 AS a$b$c) t",
        }) {
            assertEquals(Kind.QUERY, ReadOnlyStatement.of(q).kind(), q);
        }
    }

    @Test
    void refusesAStatementHiddenAfterALiteralThatEnds() {
        // With standard_conforming_strings on (which the runner sets), '\' is a whole string: the ; after it counts.
        refused("SELECT '\\'; ALTER ROLE analytics_readonly PASSWORD 'x'", "more than one statement (the second,"
                + " ALTER, starts at line 1, column 13)");
        // In E'' a backslash escapes the quote, so this literal ends later and the ; after it counts.
        refused("SELECT E'\\''; SET x = 1", "more than one statement");
        refused("SELECT $a$ x $a$; SET x = 1", "more than one statement");
        refused("SELECT 1 /* a /* b */ c */; SET x = 1", "more than one statement");
    }

    @Test
    void refusesEverythingThatIsNotOneQuery() {
        refused("BEGIN READ WRITE; ALTER ROLE analytics_readonly PASSWORD 'x'", "BEGIN is not a query");
        refused("SET default_transaction_read_only = off; SELECT 1", "SET is not a query");
        refused("SET statement_timeout = 0; SELECT pg_sleep(20)", "SET is not a query");
        refused("SELECT 1; SELECT 2", "more than one statement (the second, SELECT, starts at line 1, column 11)");
        refused("SELECT 1;\nSET x = 1", "line 2, column 1");
        refused("ALTER ROLE analytics_readonly SET work_mem = '1GB'", "ALTER is not a query");
        refused("DELETE FROM web_analytics.posthog_events", "DELETE is not a query");
        refused("(INSERT INTO t VALUES (1))", "INSERT is not a query");
        refused("COPY t TO STDOUT", "COPY is not a query");
        refused("DECLARE c CURSOR FOR SELECT 1", "DECLARE is not a query");
        refused("DO $$ BEGIN END $$", "DO is not a query");
        refused("EXPLAIN ANALYZE SELECT 1", "EXPLAIN ANALYZE runs the statement");
        refused("EXPLAIN (ANALYSE, COSTS OFF) SELECT 1", "EXPLAIN ANALYZE runs the statement");
        refused("explain (costs off, analyze true) select 1", "EXPLAIN ANALYZE runs the statement");
        refused("EXPLAIN DELETE FROM t", "EXPLAIN DELETE explains something that is not a query");
        refused("EXPLAIN", "EXPLAIN of nothing");
        refused("", "there is no statement to run");
        refused("  -- only a comment", "there is no statement to run");
        refused(";", "there is no statement to run");
    }

    @Test
    void refusesWhatItCannotReadForSure() {
        refused("SELECT 'open", "a string opened at line 1, column 8 is not closed");
        refused("SELECT E'\\'", "a string opened");
        refused("SELECT $x$ open", "a dollar-quoted string opened at line 1, column 8 is not closed");
        refused("SELECT \"open", "a quoted name opened");
        refused("SELECT 1 /* open /* */", "a comment opened at line 1, column 10 is not closed");
        refused("SELECT 1e'\\'; SET x = 1'", "a quote right after a number at line 1, column 10");
        refused("SELECT $1'x'", "a quote right after a parameter");
        refused("SELECT 1\u0000; SET x = 1", "a control character (U+0000) at line 1, column 9");
        refused("SELECT 1\u001b", "a control character (U+001B)");
    }

    @Test
    void neverEchoesALiteralInARefusal() {
        ParseException e = assertThrows(ParseException.class,
                () -> ReadOnlyStatement.of("'secret-in-a-literal'; SELECT 1"));
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
    }

    /** Random texts built from the lexer's hard parts: an answer or one "Refused: " line, never anything else. */
    @Test
    void randomTextsGiveAStatementOrOneRefusal() {
        String[] parts = {"SELECT", " ", "'", "''", "E'", "\\", "$$", "$a$", "\"", ";", "--", "\n", "/*", "*/", "(",
            ")", "1", "e", "x", "EXPLAIN", "ANALYZE", "SET", "U&'", "\u0000", "\t"};
        Random random = new Random(13);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(12);
            for (int k = 0; k < length; k++) {
                text.append(parts[random.nextInt(parts.length)]);
            }
            try {
                ReadOnlyStatement statement = ReadOnlyStatement.of(text.toString());
                assertFalse(statement.statement().isBlank(), text.toString());
            } catch (ParseException e) {
                assertTrue(e.getMessage().startsWith("Refused: ") && !e.getMessage().contains("\n"),
                        text + " -> " + e.getMessage());
            }
        }
    }

    private static void refused(String text, String expected) {
        ParseException e = assertThrows(ParseException.class, () -> ReadOnlyStatement.of(text), text);
        assertTrue(e.getMessage().startsWith("Refused: ") && e.getMessage().contains(expected),
                text + " -> " + e.getMessage());
    }
}
