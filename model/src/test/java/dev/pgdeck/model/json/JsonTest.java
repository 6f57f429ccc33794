package dev.pgdeck.model.json;

import dev.pgdeck.model.ParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {
    private final Json json = new Json("test");

    @Test
    void readsAllValueKinds() throws ParseException {
        Object v = json.parse(" {\"a\": [1, -2, 3.5, 1e3, true, false, null], \"s\": \"x\\\"\\n\\u00e9\\/\", \"o\": {}} ");
        Map<String, Object> o = json.object(v, "root");
        List<Object> a = json.array(o.get("a"), "a");
        assertEquals(List.of(1L, -2L, new BigDecimal("3.5"), new BigDecimal("1e3"), true, false), a.subList(0, 6));
        assertNull(a.get(6));
        assertEquals("x\"\né/", o.get("s"));
        assertEquals(Map.of(), o.get("o"));
    }

    @Test
    void bigIntegersStayExact() throws ParseException {
        assertEquals(1760184600000000L, json.parse("1760184600000000"));
        assertEquals(new BigDecimal("123456789012345678901234"), json.parse("123456789012345678901234"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{", "[1,", "[1 2]", "{\"a\" 1}", "{\"a\":1,}", "[1,]", "01", "1.", "-", "tru",
            "\"abc", "\"a\tb\"", "\"\\x\"", "\"\\u12G4\"", "{\"a\":1} x", "{\"a\":1,\"a\":2}", "{a:1}", "'a'", "NaN"})
    void rejectsMalformedJson(String input) {
        ParseException e = assertThrows(ParseException.class, () -> json.parse(input));
        assertTrue(e.getMessage().startsWith("test"), e.getMessage());
    }

    @Test
    void errorNamesLineAndColumn() {
        ParseException e = assertThrows(ParseException.class, () -> json.parse("[\n  1,\n  x\n]"));
        assertEquals(3, e.lineNumber());
        assertTrue(e.getMessage().contains("column 3"), e.getMessage());
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        assertThrows(ParseException.class, () -> json.parse(deep));
    }

    @Test
    void typedAccessNamesTheElement() throws ParseException {
        Map<String, Object> o = json.object(json.parse("{\"n\": \"seven\"}"), "row 1");
        ParseException e = assertThrows(ParseException.class, () -> json.integer(o, "n", "row 1"));
        assertTrue(e.getMessage().contains("row 1 \"n\" should be an integer"), e.getMessage());
        ParseException missing = assertThrows(ParseException.class, () -> json.string(o, "id", "row 1"));
        assertTrue(missing.getMessage().contains("row 1 has no \"id\""), missing.getMessage());
    }
}
