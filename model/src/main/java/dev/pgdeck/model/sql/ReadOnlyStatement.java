package dev.pgdeck.model.sql;

import dev.pgdeck.model.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The one query an analyst may run in the SQL editor, found by reading the text as PostgreSQL's lexer does: comments
 * ({@code --} and nested {@code /* *&#47;}), string literals ({@code '...'} with {@code ''}, {@code E'...'} with backslash
 * escapes, {@code B'', X'', N'', U&''}), quoted identifiers and dollar quotes ({@code $tag$...$tag$}), so that a
 * semicolon or keyword inside any of them counts for nothing. Accepted: exactly one statement (one trailing semicolon
 * allowed) that starts with SELECT, WITH, VALUES or TABLE (after any opening parentheses), or EXPLAIN of such a query
 * without ANALYZE. Everything else is refused before it reaches the server, in one line that names what was found.
 *
 * <p>This is the first of three locks, not the only one: the statement then runs as a server-side cursor inside a
 * transaction pgdeck opens READ ONLY with its own {@code statement_timeout}, so what the lexer lets through still
 * cannot write (a data-modifying {@code WITH} fails there). The lexer follows {@code standard_conforming_strings = on}
 * (a backslash in {@code '...'} is an ordinary character); the runner sets that for the transaction. Where reading is
 * ambiguous between PostgreSQL versions (a quote right after a number, a control character) the text is refused.
 *
 * @param statement the statement as sent: from its first token to its last, without the trailing semicolon or
 *                  comments around it
 * @param kind      whether it is a query (runs as a cursor) or an EXPLAIN (runs as itself: a cursor cannot hold one)
 */
public record ReadOnlyStatement(String statement, Kind kind) {
    public enum Kind { QUERY, EXPLAIN }

    /** What the editor says it runs, for the refusals. */
    public static final String ALLOWED = "SELECT, WITH, VALUES, TABLE or EXPLAIN without ANALYZE";

    private static final String SOURCE = "Refused";
    private static final Set<String> QUERY_STARTS = Set.of("SELECT", "WITH", "VALUES", "TABLE");

    /** The one read-only query in {@code text}; a {@link ParseException} "Refused: ..." in one line otherwise. */
    public static ReadOnlyStatement of(String text) throws ParseException {
        List<Token> tokens = new Lexer(text == null ? "" : text).tokens();
        int end = 0;
        while (end < tokens.size() && !tokens.get(end).is(";")) {
            end++;
        }
        if (end == 0) {
            throw refused("there is no statement to run, only " + (tokens.isEmpty() ? "blanks or comments" : "\";\""));
        }
        List<Token> statement = tokens.subList(0, end);
        Kind kind = kind(statement, text);
        for (int j = end; j < tokens.size(); j++) {
            if (!tokens.get(j).is(";")) {
                throw refused("more than one statement (the second, " + tokens.get(j).shown() + ", starts at "
                        + tokens.get(j).where(text) + "); the editor runs one query at a time");
            }
        }
        String sent = text.substring(statement.get(0).start(), statement.get(end - 1).end());
        return new ReadOnlyStatement(sent, kind);
    }

    private static Kind kind(List<Token> statement, String text) throws ParseException {
        Token first = statement.get(0);
        if (first.isWord("EXPLAIN")) {
            for (Token t : statement) {
                if (t.isWord("ANALYZE") || t.isWord("ANALYSE")) {
                    throw refused("EXPLAIN ANALYZE runs the statement it explains; the editor allows EXPLAIN"
                            + " without ANALYZE");
                }
            }
            int i = 1;
            if (i < statement.size() && statement.get(i).is("(") && !startsQuery(statement, i)) {
                int depth = 0;
                for (; i < statement.size(); i++) {
                    depth += statement.get(i).is("(") ? 1 : statement.get(i).is(")") ? -1 : 0;
                    if (depth == 0) {
                        break;
                    }
                }
                i++;
            }
            while (i < statement.size() && statement.get(i).isWord("VERBOSE")) {
                i++;
            }
            if (i >= statement.size()) {
                throw refused("EXPLAIN of nothing; the editor explains a query (" + ALLOWED + ")");
            }
            if (!startsQuery(statement, i)) {
                throw refused("EXPLAIN " + statement.get(i).shown() + " explains something that is not a query;"
                        + " the editor runs only " + ALLOWED);
            }
            return Kind.EXPLAIN;
        }
        if (!startsQuery(statement, 0)) {
            Token what = statement.stream().filter(t -> !t.is("(")).findFirst().orElse(first);
            throw refused(what.shown() + " is not a query; the editor runs only " + ALLOWED + ", read-only");
        }
        return Kind.QUERY;
    }

    /** Whether the tokens from {@code i} start a query: opening parentheses, then SELECT, WITH, VALUES or TABLE. */
    private static boolean startsQuery(List<Token> tokens, int i) {
        while (i < tokens.size() && tokens.get(i).is("(")) {
            i++;
        }
        return i < tokens.size() && tokens.get(i).type() == Type.WORD
                && QUERY_STARTS.contains(tokens.get(i).upper());
    }

    private static ParseException refused(String problem) {
        return new ParseException(SOURCE, problem);
    }

    enum Type { WORD, QUOTED, STRING, NUMBER, PARAMETER, SYMBOL }

    /** A token: where it is in the text, and its text (words upper-cased for comparing). */
    record Token(Type type, int start, int end, String text) {
        boolean is(String symbol) {
            return type == Type.SYMBOL && text.equals(symbol);
        }

        boolean isWord(String word) {
            return type == Type.WORD && upper().equals(word);
        }

        String upper() {
            return text.toUpperCase(Locale.ROOT);
        }

        /** The token for a message: a word as is (upper case), anything else by its kind, never its contents. */
        String shown() {
            return switch (type) {
                case WORD -> text.length() > 40 ? "a word" : upper();
                case QUOTED -> "a quoted name";
                case STRING -> "a string";
                case NUMBER -> "a number";
                case PARAMETER -> "a parameter";
                case SYMBOL -> '"' + text + '"';
            };
        }

        String where(String source) {
            return Lexer.where(source, start);
        }
    }

    /** PostgreSQL's lexer (scan.l), as far as token boundaries go. */
    static final class Lexer {
        private final String s;
        private int i;

        Lexer(String s) {
            this.s = s;
        }

        List<Token> tokens() throws ParseException {
            int nul = s.indexOf('\0');
            if (nul >= 0) {
                // The server reads the text as a C string: it would end there, wherever "there" is.
                throw refused("a control character (U+0000) at " + where(s, nul));
            }
            List<Token> tokens = new ArrayList<>();
            while (i < s.length()) {
                char c = s.charAt(i);
                int start = i;
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
                    i++;
                } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c == '\uFEFF') {
                    throw refused(String.format("a control character (U+%04X) at %s", (int) c, where(s, i)));
                } else if (s.startsWith("--", i)) {
                    while (i < s.length() && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
                        i++;
                    }
                } else if (s.startsWith("/*", i)) {
                    blockComment();
                } else if (c == '\'') {
                    tokens.add(string(start, false));
                } else if (c == '"') {
                    tokens.add(quoted(start));
                } else if (c == '$' && i + 1 < s.length() && isDigit(s.charAt(i + 1))) {
                    i++;
                    while (i < s.length() && isDigit(s.charAt(i))) {
                        i++;
                    }
                    tokens.add(new Token(Type.PARAMETER, start, i, s.substring(start, i)));
                    refuseQuoteAfter("a parameter");
                } else if (c == '$') {
                    tokens.add(dollar(start));
                } else if (isDigit(c) || (c == '.' && i + 1 < s.length() && isDigit(s.charAt(i + 1)))) {
                    while (i < s.length() && (isIdentifierPart(s.charAt(i)) || s.charAt(i) == '.')) {
                        i++;
                    }
                    tokens.add(new Token(Type.NUMBER, start, i, s.substring(start, i)));
                    refuseQuoteAfter("a number");
                } else if (isIdentifierStart(c)) {
                    while (i < s.length() && isIdentifierPart(s.charAt(i))) {
                        i++;
                    }
                    String word = s.substring(start, i);
                    if (i < s.length() && s.charAt(i) == '\'' && word.length() == 1
                            && "eEbBxXnN".indexOf(word.charAt(0)) >= 0) {
                        // E'..' has backslash escapes; B'..', X'..', N'..' read as '..' does.
                        tokens.add(string(start, word.equalsIgnoreCase("e")));
                    } else if (word.equalsIgnoreCase("u") && s.startsWith("&'", i)) {
                        i++;
                        tokens.add(string(start, false));
                    } else if (word.equalsIgnoreCase("u") && s.startsWith("&\"", i)) {
                        i++;
                        tokens.add(quoted(start));
                    } else {
                        tokens.add(new Token(Type.WORD, start, i, word));
                    }
                } else {
                    i++;
                    tokens.add(new Token(Type.SYMBOL, start, i, String.valueOf(c)));
                }
            }
            return tokens;
        }

        /** Nested, as PostgreSQL's are: {@code /* a /* b *&#47; c *&#47;} is one comment. */
        private void blockComment() throws ParseException {
            int start = i;
            int depth = 0;
            while (i < s.length()) {
                if (s.startsWith("/*", i)) {
                    depth++;
                    i += 2;
                } else if (s.startsWith("*/", i)) {
                    depth--;
                    i += 2;
                    if (depth == 0) {
                        return;
                    }
                } else {
                    i++;
                }
            }
            throw refused("a comment opened at " + where(s, start) + " is not closed");
        }

        /** From the opening quote at {@code i}; {@code ''} is a quote inside, and {@code \x} too when escaped. */
        private Token string(int start, boolean backslashEscapes) throws ParseException {
            int open = i;
            i++;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (backslashEscapes && c == '\\') {
                    i += 2;
                } else if (c == '\'') {
                    if (i + 1 < s.length() && s.charAt(i + 1) == '\'') {
                        i += 2;
                    } else {
                        i++;
                        return new Token(Type.STRING, start, i, "");
                    }
                } else {
                    i++;
                }
            }
            throw refused("a string opened at " + where(s, open) + " is not closed");
        }

        private Token quoted(int start) throws ParseException {
            int open = i;
            i++;
            while (i < s.length()) {
                if (s.charAt(i) == '"') {
                    if (i + 1 < s.length() && s.charAt(i + 1) == '"') {
                        i += 2;
                    } else {
                        i++;
                        return new Token(Type.QUOTED, start, i, s.substring(start, i));
                    }
                } else {
                    i++;
                }
            }
            throw refused("a quoted name opened at " + where(s, open) + " is not closed");
        }

        /** {@code $tag$ ... $tag$} (the tag may be empty); a {@code $} that opens none is a symbol. */
        private Token dollar(int start) throws ParseException {
            int j = i + 1;
            if (j < s.length() && isIdentifierStart(s.charAt(j))) {
                while (j < s.length() && isIdentifierPart(s.charAt(j)) && s.charAt(j) != '$') {
                    j++;
                }
            }
            if (j >= s.length() || s.charAt(j) != '$') {
                i++;
                return new Token(Type.SYMBOL, start, i, "$");
            }
            String tag = s.substring(i, j + 1);
            int close = s.indexOf(tag, j + 1);
            if (close < 0) {
                throw refused("a dollar-quoted string opened at " + where(s, start) + " is not closed");
            }
            i = close + tag.length();
            return new Token(Type.STRING, start, i, "");
        }

        /**
         * A quote glued to the token before it is read differently by different PostgreSQL versions ({@code 1e'..'}
         * was a number and an E'' string before 15, an error since): refused rather than guessed.
         */
        private void refuseQuoteAfter(String what) throws ParseException {
            if (i < s.length() && (s.charAt(i) == '\'' || s.charAt(i) == '"' || s.charAt(i) == '$')) {
                throw refused("a quote right after " + what + " at " + where(s, i) + " (put a space between them)");
            }
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private static boolean isIdentifierStart(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
        }

        private static boolean isIdentifierPart(char c) {
            return isIdentifierStart(c) || isDigit(c) || c == '$';
        }

        /** "line L, column C", 1-based. */
        static String where(String s, int at) {
            int line = 1;
            int lineStart = 0;
            for (int k = 0; k < at && k < s.length(); k++) {
                if (s.charAt(k) == '\n') {
                    line++;
                    lineStart = k + 1;
                }
            }
            return "line " + line + ", column " + (at - lineStart + 1);
        }
    }
}
