package dev.pgdeck.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.pgdeck.model.backup.BackupLabelParser;
import dev.pgdeck.model.backup.BackupManifestParser;
import dev.pgdeck.model.backup.ManifestTail;
import dev.pgdeck.model.json.Json;
import dev.pgdeck.model.metrics.PrometheusTextParser;
import dev.pgdeck.model.restic.ResticSnapshotsParser;
import dev.pgdeck.model.systemd.SystemctlParser;
import dev.pgdeck.model.wal.Lsn;
import dev.pgdeck.model.wal.TimelineHistory;
import dev.pgdeck.model.wal.WalArchiveListing;
import dev.pgdeck.model.wal.WalFileName;
import dev.pgdeck.model.wal.WalSegment;
import dev.pgdeck.model.zfs.ZfsListParser;
import java.time.ZoneId;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Issue 13: every parser of host output in model/ answers random, truncated and mutated input with a
 * {@link ParseException} that has a message, or a result, and nothing else: no NullPointerException,
 * IndexOutOfBoundsException, NumberFormatException or DateTimeException reaches the console or the CLI. The inputs
 * start from the recorded fixtures, so mutations land in places the parser really reads.
 */
class ParserPropertiesTest {
    private static final int TRIES = 300;

    /** Characters and tokens that break parsers: separators, signs, huge numbers, escapes, non-ASCII, NUL. */
    private static final List<String> TOKENS = List.of("", " ", "\t", "\n", "\r\n", ":", "/", "-", "+", ".", ",", "\"",
            "\\", "{", "}", "[", "]", "@", "#", "=", "0", "9", "-1", "1e999", "99999999999999999999",
            "999999999999999999", "9223372036854775807", "31556889864403200", "2147483648", "1e9999999999",
            "-9223372036854775808", "0.", ".5", "1.0E+2147483648", "18446744073709551616", "FFFFFFFF/FFFFFFFF", "NaN", "+Inf", "null", "true", "\\u00", "\\uD800", "\u0000",
            "é", "\uD83D\uDE00", "0/0", "T", "Z", "2025-13-45 25:61:61 UTC", "\"\"", "{}", "[]", "START WAL LOCATION:",
            "STOP TIME:", "\"WAL-Ranges\"", "\"Timeline\": ", "# TYPE x counter\n");

    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile("[0-9A-Fa-f]+");
    private static final List<String> NUMBERS = List.of("0", "-1", "999999999999999999", "9223372036854775807",
            "9223372036854775808", "31556889864403200", "2147483648", "99999999999999999999", "1e9999999999",
            "FFFFFFFFFFFFFFFFF", "");

    @FunctionalInterface
    interface Parser {
        Object parse(String input) throws ParseException;

        @FunctionalInterface
        interface Call {
            Object run() throws ParseException;
        }
    }

    /** The property itself: a result or a ParseException with a message; anything else fails the test. */
    private static void onlyParseExceptions(Parser parser, String input) {
        try {
            parser.parse(input);
        } catch (ParseException e) {
            assertNotNull(e.getMessage());
            assertFalse(e.getMessage().isBlank(), "a ParseException without a message");
        }
    }

    /** Random text, the fixture cut anywhere, and the fixture with a few characters, tokens or lines changed. */
    private static Arbitrary<String> around(String... fixtures) {
        Arbitrary<String> fixture = Arbitraries.of(fixtures);
        Arbitrary<String> random = Arbitraries.strings().all().ofMaxLength(300);
        Arbitrary<String> randomish = Arbitraries.strings().withChars("0123456789abcdefABCDEF/:.-+ \t\n\"{}[],@_")
                .ofMaxLength(200);
        Arbitrary<String> truncated = fixture.flatMap(f -> Arbitraries.integers().between(0, f.length())
                .map(n -> f.substring(0, n)));
        Arbitrary<String> tailOf = fixture.flatMap(f -> Arbitraries.integers().between(0, f.length())
                .map(f::substring));
        Arbitrary<String> mutated = fixture.flatMap(f -> Arbitraries.randoms().map(r -> mutate(f, r)));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, random),
                net.jqwik.api.Tuple.of(1, randomish),
                net.jqwik.api.Tuple.of(2, truncated),
                net.jqwik.api.Tuple.of(1, tailOf),
                net.jqwik.api.Tuple.of(5, mutated));
    }

    private static String mutate(String text, Random r) {
        StringBuilder sb = new StringBuilder(text);
        int edits = 1 + r.nextInt(6);
        for (int i = 0; i < edits; i++) {
            int at = sb.length() == 0 ? 0 : r.nextInt(sb.length() + 1);
            String token = TOKENS.get(r.nextInt(TOKENS.size()));
            switch (r.nextInt(5)) {
                case 0 -> sb.insert(at, token);
                case 1 -> sb.replace(at, Math.min(sb.length(), at + 1 + r.nextInt(8)), token);
                case 2 -> sb.delete(at, Math.min(sb.length(), at + 1 + r.nextInt(16)));
                case 3 -> {
                    // one of the numbers (chosen evenly) becomes another: huge, negative, empty, not a number
                    java.util.regex.Matcher m = NUMBER.matcher(sb);
                    List<int[]> numbers = new java.util.ArrayList<>();
                    while (m.find()) {
                        numbers.add(new int[] {m.start(), m.end()});
                    }
                    if (!numbers.isEmpty()) {
                        int[] n = numbers.get(r.nextInt(numbers.size()));
                        String big = NUMBERS.get(r.nextInt(NUMBERS.size()));
                        sb.replace(n[0], n[1], r.nextInt(3) == 0 ? token : big);
                    }
                }
                default -> {
                    // a line duplicated or dropped
                    String[] lines = sb.toString().split("\n", -1);
                    int line = r.nextInt(lines.length);
                    StringBuilder next = new StringBuilder();
                    for (int j = 0; j < lines.length; j++) {
                        if (j != line || r.nextBoolean()) {
                            next.append(lines[j]).append('\n');
                        }
                        if (j == line) {
                            next.append(lines[j]).append('\n');
                        }
                    }
                    sb = next;
                }
            }
        }
        return sb.toString();
    }

    private static String fixture(String path) {
        return Fixtures.read(path);
    }

    /** What the properties found first, kept as plain cases (each threw something other than a ParseException). */
    @net.jqwik.api.Example
    void foundByTheProperties() {
        for (String json : List.of("1e9999999999", "[1.5E-2147483649]", "{\"time\": 2e+99999999999}")) {
            assertParseException(() -> new Json("test").parse(json));
        }
        assertParseException(() -> ZfsListParser.parse("tank/pg/main@daily\t999999999999999999\t1\t1\n"));
        assertParseException(() -> WalArchiveListing.parse("000000010000000000000002 16777216 999999999999999999.5\n"));
        assertParseException(() -> ManifestTail.walRanges("backup_manifest", "\"WAL-Ranges\": [\n{ \"Timeline\":"
                + " 99999999999, \"Start-LSN\": \"0/2000028\", \"End-LSN\": \"0/2000100\" }\n],"));
    }

    private static void assertParseException(Parser.Call call) {
        ParseException e = org.junit.jupiter.api.Assertions.assertThrows(ParseException.class, call::run);
        assertFalse(e.getMessage().isBlank());
    }

    @Provide
    Arbitrary<String> json() {
        return around(fixture("restic/snapshots.json"), fixture("systemd/list-timers-v256.json"),
                fixture("pg15/20251011-120000.backup_manifest"), "{\"a\": [1, 2.5e3, -0, true, null, \"\\u00e9\"]}");
    }

    @Property(tries = TRIES)
    void json(@ForAll("json") String input) {
        onlyParseExceptions(new Json("test")::parse, input);
    }

    @Provide
    Arbitrary<String> walNames() {
        return around("000000010000000000000002", "000000020000000000000005.00000028.backup", "00000003.history",
                "0/15007A8", "16/B374D848", "000000010000000000000002.partial");
    }

    @Property(tries = TRIES)
    void lsnAndWalNames(@ForAll("walNames") String input) {
        onlyParseExceptions(Lsn::parse, input);
        onlyParseExceptions(WalFileName::parse, input);
        onlyParseExceptions(WalSegment::parse, input);
        Lsn.tryParse(input);
        WalFileName.tryParse(input);
        WalSegment.tryParse(input);
    }

    @Provide
    Arbitrary<String> timelineHistory() {
        return around(fixture("pg15/00000002.history"), fixture("pg15/00000003.history"));
    }

    @Property(tries = TRIES)
    void timelineHistory(@ForAll("timelineHistory") String input) {
        onlyParseExceptions(text -> TimelineHistory.parse(3, text), input);
    }

    @Provide
    Arbitrary<String> archiveListing() {
        return around(fixture("pg15/archive-find.txt"));
    }

    @Property(tries = TRIES)
    void walArchiveListing(@ForAll("archiveListing") String input) {
        onlyParseExceptions(WalArchiveListing::parse, input);
    }

    @Provide
    Arbitrary<String> metrics() {
        return around(fixture("metrics/postgresql_backup.prom"), fixture("metrics/postgresql_health.prom"),
                fixture("metrics/postgresql_wal_archive.prom"));
    }

    @Property(tries = TRIES)
    void prometheusText(@ForAll("metrics") String input) {
        onlyParseExceptions(text -> PrometheusTextParser.parse("postgresql.prom", text), input);
    }

    @Provide
    Arbitrary<String> systemd() {
        return around(fixture("systemd/list-timers-v252.json"), fixture("systemd/list-timers-v256.json"),
                fixture("systemd/list-units-failed.json"), fixture("systemd/list-units-failed-none.json"));
    }

    @Property(tries = TRIES)
    void systemctl(@ForAll("systemd") String input) {
        onlyParseExceptions(SystemctlParser::timers, input);
        onlyParseExceptions(SystemctlParser::failedUnits, input);
    }

    @Provide
    Arbitrary<String> restic() {
        return around(fixture("restic/snapshots.json"), fixture("restic/snapshots-empty.json"));
    }

    @Property(tries = TRIES)
    void resticSnapshots(@ForAll("restic") String input) {
        onlyParseExceptions(ResticSnapshotsParser::parse, input);
    }

    @Provide
    Arbitrary<String> zfs() {
        return around(fixture("zfs/list-snapshots-local.txt"), fixture("zfs/list-snapshots-target.txt"));
    }

    @Property(tries = TRIES)
    void zfsList(@ForAll("zfs") String input) {
        onlyParseExceptions(ZfsListParser::parse, input);
    }

    @Provide
    Arbitrary<String> backupLabels() {
        return around(fixture("pg15/20251011-120000.backup_label"),
                fixture("pg15/000000010000000000000002.00000028.backup"),
                fixture("pg15/000000020000000000000005.00000028.backup"));
    }

    @Property(tries = TRIES)
    void backupLabelsAndHistoryFiles(@ForAll("backupLabels") String input) {
        onlyParseExceptions(text -> BackupLabelParser.parse("backup_label", text, null), input);
        onlyParseExceptions(text -> BackupLabelParser.parse("backup_label", text, ZoneId.of("Europe/Berlin")), input);
    }

    @Provide
    Arbitrary<String> manifests() {
        return around(fixture("pg15/20251011-120000.backup_manifest"), fixture("pg15/20251012-120000.backup_manifest"),
                "{\"WAL-Ranges\": [\n{ \"Timeline\": 1, \"Start-LSN\": \"0/2000028\", \"End-LSN\": \"0/2000100\" }\n],\n"
                        + "\"Manifest-Checksum\": \"ab\"}\n");
    }

    @Property(tries = TRIES)
    void backupManifests(@ForAll("manifests") String input) {
        onlyParseExceptions(text -> BackupManifestParser.parse("backup_manifest", text), input);
        String tail = input.length() > ManifestTail.TAIL_BYTES ? input.substring(input.length() - ManifestTail.TAIL_BYTES)
                : input;
        onlyParseExceptions(text -> ManifestTail.walRanges("backup_manifest", text), tail);
    }
}
