package dev.pgdeck.model.restic;

import dev.pgdeck.model.Fixtures;
import dev.pgdeck.model.ParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.OffsetDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResticTest {
    @Test
    void readsRecordedSnapshots() throws ParseException {
        List<ResticSnapshot> all = ResticSnapshotsParser.parse(Fixtures.read("restic/snapshots.json"));
        assertEquals(5, all.size());
        ResticSnapshot first = all.get(0);
        assertEquals("6c9eceab", first.shortId());
        assertEquals("6c9eceab381ce15ae856ad0315c93c49a196fe2c3a728e2fe9266b3544d5c701", first.id());
        assertEquals(OffsetDateTime.parse("2026-11-23T15:20:32.167378964Z"), first.time());
        assertEquals("forge", first.hostname());
        assertEquals("root", first.username());
        assertEquals(List.of("postgresql", "main", "base-backup"), first.tags());
        assertEquals(List.of("/tmp/pgfx/bb/20251011-120000"), first.paths());
        assertNull(first.parent());
        assertEquals("c654ea79f8d38040e3631bb560f51898d1d648bef8f45cb7c60a48c2708521aa", all.get(3).parent());
        assertEquals(List.of(), all.get(4).tags());
    }

    @Test
    void groupsIntoBaseBackupAndWalSeries() throws ParseException {
        ResticSeries s = ResticSeries.of(ResticSnapshotsParser.parse(Fixtures.read("restic/snapshots.json")), "main");
        assertEquals(2, s.baseBackups().size());
        assertEquals(2, s.walArchive().size());
        assertEquals(1, s.other().size());
        assertEquals("737712bd", s.latestBaseBackup().shortId());
        assertEquals("da1ec7e2", s.latestWalArchive().shortId());
        ResticSeries dev = ResticSeries.of(ResticSnapshotsParser.parse(Fixtures.read("restic/snapshots.json")), "dev");
        assertTrue(dev.baseBackups().isEmpty());
        assertNull(dev.latestBaseBackup());
    }

    @Test
    void newerResticMembersAndOffsetsAreAccepted() throws ParseException {
        String json = "[{\"time\":\"2025-10-11T14:00:03.5+02:00\",\"tree\":\"ab\",\"paths\":[\"/x\"],\"hostname\":\"forge\","
                + "\"username\":\"root\",\"uid\":0,\"gid\":0,\"tags\":[\"postgresql\",\"main\",\"wal-archive\"],"
                + "\"program_version\":\"restic 0.17.1\",\"summary\":{\"files_new\":3,\"data_added\":1.5e3},"
                + "\"id\":\"0123456789abcdef\"}]";
        ResticSnapshot s = ResticSnapshotsParser.parse(json).get(0);
        assertEquals("01234567", s.shortId());
        assertEquals(OffsetDateTime.parse("2025-10-11T12:00:03.5Z").toInstant(), s.time().toInstant());
    }

    @Test
    void emptyRepositoryIsAnEmptyArray() throws ParseException {
        assertTrue(ResticSnapshotsParser.parse(Fixtures.read("restic/snapshots-empty.json")).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Fatal: wrong password or no key found", "{}", "[1]", "[{\"time\":\"x\",\"id\":\"a\",\"tree\":\"b\"}]",
            "[{\"time\":\"2025-10-11T12:00:00Z\",\"tree\":\"b\"}]", "[{\"time\":\"2025-10-11T12:00:00Z\",\"id\":\"a\",\"tree\":\"b\",\"tags\":\"x\"}]"})
    void rejectsGarbage(String text) {
        ParseException e = assertThrows(ParseException.class, () -> ResticSnapshotsParser.parse(text));
        assertTrue(e.getMessage().startsWith("restic snapshots --json"), e.getMessage());
    }

    @Test
    void truncatedOutputIsAnError() {
        String full = Fixtures.read("restic/snapshots.json");
        assertThrows(ParseException.class, () -> ResticSnapshotsParser.parse(full.substring(0, full.length() - 40)));
    }
}
