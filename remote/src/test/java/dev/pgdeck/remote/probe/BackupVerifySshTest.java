package dev.pgdeck.remote.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.HostCommand;
import dev.pgdeck.model.backup.BackupVerification;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.host.LocalShell;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.ssh.HostKeyPrompt;
import dev.pgdeck.remote.ssh.PassphraseSource;
import dev.pgdeck.remote.ssh.SshShell;
import dev.pgdeck.remote.testing.ArchivingCluster;
import dev.pgdeck.remote.testing.SshServerExtension;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * pg_verifybackup on demand over the embedded SSH server, against real {@code pg_basebackup -Ft -z} backups of a real
 * PostgreSQL 15 with real archiving: with its WAL ({@code -Xstream}, seed 002), a corrupted copy, and one without WAL
 * ({@code -Xnone}) checked against the WAL archive, before and after its first segment goes missing.
 */
class BackupVerifySshTest {
    @RegisterExtension
    static final SshServerExtension SSH = new SshServerExtension();

    static final String WITH_WAL = "20251011-120000";
    static final String CORRUPTED = "20251011-130000";
    static final String WITHOUT_WAL = "20251011-140000";

    static ArchivingCluster pg;
    static Path verifyTmp;

    @BeforeAll
    static void backups() throws Exception {
        pg = ArchivingCluster.start("verify");
        verifyTmp = Files.createDirectories(pg.root().resolve("tmp"));
        pg.sql().execute("CREATE TABLE t AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 20000) g");
        pg.baseBackup(WITH_WAL, "-Xstream");
        pg.sql().execute("INSERT INTO t SELECT g, 'x' FROM generate_series(1, 1000) g");
        pg.baseBackup(WITHOUT_WAL, "-Xnone");
        corruptCopy(pg.backups().resolve(WITH_WAL), pg.backups().resolve(CORRUPTED));
    }

    @AfterAll
    static void stop() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    /** The same backup with 8 bytes of one file in base.tar.gz changed (same size: only its checksum tells). */
    static void corruptCopy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        for (String f : List.of("backup_manifest", "pg_wal.tar.gz")) {
            Files.copy(from.resolve(f), to.resolve(f));
        }
        Path unpacked = pg.root().resolve("corrupt-work");
        Files.createDirectories(unpacked);
        LocalShell local = pg.shell();
        assertTrue(local.run(HostCommand.of("tar", "-xzf", from.resolve("base.tar.gz").toString(), "-C",
                unpacked.toString()), Duration.ofMinutes(1)).succeeded());
        try (RandomAccessFile f = new RandomAccessFile(unpacked.resolve("global/pg_filenode.map").toFile(), "rw")) {
            f.seek(100);
            f.write("CORRUPT!".getBytes());
        }
        var tar = local.run(HostCommand.of("sh", "-c", "cd \"$1\" && tar -czf \"$2\" .", "sh", unpacked.toString(),
                to.resolve("base.tar.gz").toString()), Duration.ofMinutes(1));
        assertTrue(tar.succeeded(), tar.describeFailure());
    }

    private BackupVerification verify(String label) throws Exception {
        try (SshShell shell = new SshShell(SSH.target("db1", SSH.knownHosts()), new CommandLog(), HostKeyPrompt.REFUSE,
                PassphraseSource.NONE)) {
            Map<String, String> values = pg.values();
            values.put("verifyTmp", verifyTmp.toString());
            return new BackupVerifier(shell, HostProfile.builtIn("sandbox"), values).verify("main", pg.port(), label);
        }
    }

    private static void assertNothingLeftBehind() throws Exception {
        try (Stream<Path> left = Files.list(verifyTmp)) {
            assertEquals(List.of(), left.toList(), "the unpacked copy is removed");
        }
    }

    @Test
    void aTarBackupWithItsWalVerifies() throws Exception {
        BackupVerification v = verify(WITH_WAL);

        assertTrue(v.ok(), v.problems().toString());
        assertEquals(List.of(), v.problems());
        assertEquals("the backup", v.walSource());
        assertNothingLeftBehind();
    }

    @Test
    void aCorruptedCopyFailsWithTheFileNamed() throws Exception {
        BackupVerification v = verify(CORRUPTED);

        assertFalse(v.ok());
        assertTrue(v.problems().contains("checksum mismatch for file \"global/pg_filenode.map\""),
                v.problems().toString());
        assertNothingLeftBehind();
    }

    @Test
    void aBackupWithoutWalIsCheckedAgainstTheArchiveAndFailsWhenASegmentIsMissing() throws Exception {
        BackupVerification v = verify(WITHOUT_WAL);
        assertTrue(v.ok(), v.problems().toString());
        assertEquals("the WAL archive", v.walSource());

        Matcher start = Pattern.compile("\"Start-LSN\": \"([0-9A-F/]+)\"")
                .matcher(Files.readString(pg.backups().resolve(WITHOUT_WAL).resolve("backup_manifest")));
        assertTrue(start.find());
        String segment = pg.sql().queryOne("SELECT pg_walfile_name(?::pg_lsn)", r -> r.getString(1),
                start.group(1));
        Path aside = pg.root().resolve(segment + ".aside");
        Files.move(pg.archive().resolve(segment), aside);
        try {
            BackupVerification missing = verify(WITHOUT_WAL);

            assertFalse(missing.ok());
            assertTrue(missing.problems().stream().anyMatch(p -> p.contains("WAL parsing failed for timeline 1")),
                    missing.problems().toString());
            assertTrue(missing.problems().stream().anyMatch(p -> p.startsWith("WAL: ") && p.contains(segment)),
                    missing.problems().toString());
        } finally {
            Files.move(aside, pg.archive().resolve(segment));
        }
        assertNothingLeftBehind();
    }

    @Test
    void aMissingBackupAndANameThatIsNotOneAreClearErrors() throws Exception {
        BackupVerification none = verify("20200101-000000");
        assertFalse(none.ok());
        assertTrue(none.problems().get(0).endsWith("20200101-000000 has no backup_manifest"), none.problems().toString());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> verify("../../etc"));
        assertTrue(e.getMessage().contains("is not a base backup name"), e.getMessage());
    }
}
