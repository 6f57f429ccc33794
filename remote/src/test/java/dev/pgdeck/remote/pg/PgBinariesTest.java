package dev.pgdeck.remote.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PgBinariesTest {
    @TempDir
    Path dir;

    @Test
    void withoutLocalBinariesTheBundledEmbeddedOnesAreUnpackedAndRun() throws Exception {
        PgBinaries found = PgBinaries.locate(Map.of("PATH", dir.toString()), dir.resolve("usr-lib-postgresql"),
                dir.resolve("cache"));
        assertEquals(EmbeddedBinaries.SOURCE, found.source());
        assertTrue(found.has("initdb") && found.has("pg_ctl"));
        var version = new dev.pgdeck.remote.host.LocalShell("test", new dev.pgdeck.remote.host.CommandLog())
                .run(dev.pgdeck.model.HostCommand.of(found.tool("postgres").toString(), "--version"),
                        java.time.Duration.ofSeconds(20));
        assertEquals("15", PgVersion.major(PgVersion.fromVersionOutput(version.stdout())), version.stdout());
        // A second look reuses the unpacked copy.
        assertEquals(found.binDir(), PgBinaries.locate(Map.of("PATH", ""), dir.resolve("none"), dir.resolve("cache"))
                .binDir());
    }

    @Test
    void noBinariesAnywhereSaysWhatToInstall() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("file"), "");
        PgBinariesNotFoundException e = assertThrows(PgBinariesNotFoundException.class,
                () -> PgBinaries.locate(Map.of("PATH", dir.toString()), dir.resolve("usr-lib-postgresql"),
                        notADirectory.resolve("cache")));
        assertTrue(e.getMessage().contains("No PostgreSQL server binaries found"), e.getMessage());
        assertTrue(e.getMessage().contains("The bundled binaries could not be unpacked"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install postgresql-15"), e.getMessage());
    }

    @Test
    void aSymlinkedToolStandsForTheDirectoryItLivesIn() throws Exception {
        Path real = fakeBin(dir.resolve("real/bin"));
        Path links = Files.createDirectories(dir.resolve("links"));
        for (String tool : new String[] {"initdb", "pg_ctl", "postgres"}) {
            Files.createSymbolicLink(links.resolve(tool), real.resolve(tool));
        }
        PgBinaries found = PgBinaries.locate(Map.of("PATH", links.toString()), dir.resolve("none"), dir);
        assertEquals(real.toRealPath(), found.binDir());
        assertTrue(found.has("pg_basebackup"));
    }

    @Test
    void prefersTheNewestDebianVersion() throws Exception {
        Path debian = dir.resolve("postgresql");
        fakeBin(debian.resolve("9/bin"));
        fakeBin(debian.resolve("16/bin"));
        fakeBin(debian.resolve("15/bin"));
        PgBinaries found = PgBinaries.locate(Map.of("PATH", ""), debian, dir);
        assertEquals(debian.resolve("16/bin"), found.binDir());
    }

    @Test
    void configuredDirectoryWins() throws Exception {
        Path bin = fakeBin(dir.resolve("custom"));
        PgBinaries found = PgBinaries.locate(Map.of("PGDECK_PG_BIN", bin.toString()), dir.resolve("none"), dir);
        assertEquals(bin, found.binDir());
        assertEquals("PGDECK_PG_BIN", found.source());
    }

    @Test
    void versionStrings() {
        assertEquals("15.18", PgVersion.fromVersionOutput("postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n"));
        assertEquals("15.18", PgVersion.fromVersionOutput("15.18 (Debian 15.18-0+deb12u1)"));
        assertEquals("15", PgVersion.major("15.18"));
    }

    private static Path fakeBin(Path bin) throws Exception {
        Files.createDirectories(bin);
        for (String tool : new String[] {"initdb", "pg_ctl", "postgres", "pg_basebackup"}) {
            Files.writeString(bin.resolve(tool), "#!/bin/sh\n");
            Files.setPosixFilePermissions(bin.resolve(tool), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return bin;
    }
}
