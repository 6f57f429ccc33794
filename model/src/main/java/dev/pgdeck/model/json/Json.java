package dev.pgdeck.model.json;

import dev.pgdeck.model.ParseException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON reader (RFC 8259) for the few JSON outputs pgdeck reads (restic, systemctl, backup_manifest).
 * Objects become {@code Map<String, Object>} (in order), arrays {@code List<Object>}, numbers {@code Long} when
 * integral and in range, else {@code BigDecimal}; JSON null is Java null. One instance per source, so that every
 * error names the command or file it came from.
 */
public final class Json {
    private static final int MAX_DEPTH = 64;

    private final String source;
    private String text;
    private int pos;

    public Json(String source) {
        this.source = source;
    }

    public String source() {
        return source;
    }

    public Object parse(String input) throws ParseException {
        if (input == null || input.isBlank()) {
            throw new ParseException(source, "empty output, expected a JSON document");
        }
        text = input;
        pos = 0;
        skipSpace();
        Object value = value(0);
        skipSpace();
        if (pos < text.length()) {
            throw error("end of the JSON document");
        }
        return value;
    }

    private Object value(int depth) throws ParseException {
        if (depth > MAX_DEPTH) {
            throw error("at most " + MAX_DEPTH + " levels of nesting");
        }
        if (pos >= text.length()) {
            throw error("a JSON value (the output ends early)");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{': return object(depth);
            case '[': return array(depth);
            case '"': return string();
            case 't': literal("true"); return Boolean.TRUE;
            case 'f': literal("false"); return Boolean.FALSE;
            case 'n': literal("null"); return null;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("a JSON value");
        }
    }

    private Map<String, Object> object(int depth) throws ParseException {
        Map<String, Object> map = new LinkedHashMap<>();
        pos++;
        skipSpace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw error("a quoted member name");
            }
            String key = string();
            skipSpace();
            expect(':');
            skipSpace();
            if (map.containsKey(key)) {
                throw error("no duplicate member \"" + key + "\"");
            }
            map.put(key, value(depth + 1));
            skipSpace();
            char c = peek();
            pos++;
            if (c == '}') {
                return map;
            }
            if (c != ',') {
                pos--;
                throw error("',' or '}' in an object");
            }
        }
    }

    private List<Object> array(int depth) throws ParseException {
        List<Object> list = new ArrayList<>();
        pos++;
        skipSpace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipSpace();
            list.add(value(depth + 1));
            skipSpace();
            char c = peek();
            pos++;
            if (c == ']') {
                return list;
            }
            if (c != ',') {
                pos--;
                throw error("',' or ']' in an array");
            }
        }
    }

    private String string() throws ParseException {
        pos++;
        StringBuilder sb = null;
        int start = pos;
        while (true) {
            if (pos >= text.length()) {
                throw error("a closing '\"' (the output ends inside a string)");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                String s = sb == null ? text.substring(start, pos) : sb.append(text, start, pos).toString();
                pos++;
                return s;
            }
            if (c < 0x20) {
                throw error("no raw control character inside a string");
            }
            if (c == '\\') {
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(text, start, pos);
                pos++;
                sb.append(escape());
                start = pos;
            } else {
                pos++;
            }
        }
    }

    private char escape() throws ParseException {
        char c = peek();
        pos++;
        switch (c) {
            case '"': return '"';
            case '\\': return '\\';
            case '/': return '/';
            case 'b': return '\b';
            case 'f': return '\f';
            case 'n': return '\n';
            case 'r': return '\r';
            case 't': return '\t';
            case 'u':
                if (pos + 4 > text.length()) {
                    throw error("four hex digits after \\u");
                }
                int code = 0;
                for (int i = 0; i < 4; i++) {
                    int d = Character.digit(text.charAt(pos++), 16);
                    if (d < 0) {
                        pos--;
                        throw error("four hex digits after \\u");
                    }
                    code = code * 16 + d;
                }
                return (char) code;
            default:
                pos--;
                throw error("a valid escape after '\\'");
        }
    }

    private Object number() throws ParseException {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (!digits()) {
            throw error("a digit");
        }
        boolean integral = true;
        if (peek() == '.') {
            pos++;
            integral = false;
            if (!digits()) {
                throw error("a digit after the decimal point");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            integral = false;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!digits()) {
                throw error("a digit in the exponent");
            }
        }
        String literal = text.substring(start, pos);
        if (integral && literal.length() < 19) {
            return Long.parseLong(literal);
        }
        BigDecimal big;
        try {
            big = new BigDecimal(literal);
        } catch (NumberFormatException | ArithmeticException e) {
            // an exponent beyond what BigDecimal holds (e.g. 1e9999999999): no output pgdeck reads has one
            pos = start;
            throw error("a number of a sensible size");
        }
        if (integral) {
            try {
                return big.longValueExact();
            } catch (ArithmeticException tooBig) {
                return big;
            }
        }
        return big;
    }

    private boolean digits() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        return pos > start;
    }

    private void literal(String word) throws ParseException {
        if (!text.startsWith(word, pos)) {
            throw error("a JSON value");
        }
        pos += word.length();
    }

    private void expect(char c) throws ParseException {
        if (peek() != c) {
            throw error("'" + c + "'");
        }
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private ParseException error(String expected) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < pos && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        int column = pos - lineStart + 1;
        String found = pos >= text.length() ? "the end of the output"
                : "'" + text.substring(pos, Math.min(text.length(), pos + 20)).replace("\n", "\\n") + "'";
        return new ParseException(source, line, null, expected + " at column " + column + ", found " + found);
    }

    // Typed access: each names the element (e.g. "snapshot 3") so that errors point at the right place.

    @SuppressWarnings("unchecked")
    public Map<String, Object> object(Object value, String what) throws ParseException {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw wrongType(what, "a JSON object", value);
    }

    @SuppressWarnings("unchecked")
    public List<Object> array(Object value, String what) throws ParseException {
        if (value instanceof List<?> list) {
            return (List<Object>) list;
        }
        throw wrongType(what, "a JSON array", value);
    }

    public String string(Map<String, Object> object, String key, String what) throws ParseException {
        Object value = required(object, key, what);
        if (value instanceof String s) {
            return s;
        }
        throw wrongType(what + " \"" + key + "\"", "a string", value);
    }

    /** The string member, or null when absent or JSON null. */
    public String optString(Map<String, Object> object, String key, String what) throws ParseException {
        Object value = object.get(key);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw wrongType(what + " \"" + key + "\"", "a string", value);
    }

    public long integer(Map<String, Object> object, String key, String what) throws ParseException {
        Object value = required(object, key, what);
        if (value instanceof Long l) {
            return l;
        }
        throw wrongType(what + " \"" + key + "\"", "an integer", value);
    }

    /** The integer member, or null when absent or JSON null. */
    public Long optInteger(Map<String, Object> object, String key, String what) throws ParseException {
        Object value = object.get(key);
        if (value == null || value instanceof Long) {
            return (Long) value;
        }
        throw wrongType(what + " \"" + key + "\"", "an integer", value);
    }

    /** A member that is an array of strings; absent or null gives an empty list. */
    public List<String> strings(Map<String, Object> object, String key, String what) throws ParseException {
        Object value = object.get(key);
        if (value == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Object item : array(value, what + " \"" + key + "\"")) {
            if (!(item instanceof String s)) {
                throw wrongType(what + " \"" + key + "\"", "an array of strings", value);
            }
            out.add(s);
        }
        return Collections.unmodifiableList(out);
    }

    private Object required(Map<String, Object> object, String key, String what) throws ParseException {
        if (!object.containsKey(key)) {
            throw new ParseException(source, what + " has no \"" + key + "\" member");
        }
        return object.get(key);
    }

    private ParseException wrongType(String what, String expected, Object value) {
        String found = value == null ? "null" : value instanceof Map ? "an object" : value instanceof List ? "an array"
                : value instanceof String s ? "the string \"" + s + "\"" : String.valueOf(value);
        return new ParseException(source, what + " should be " + expected + ", found " + found);
    }
}
