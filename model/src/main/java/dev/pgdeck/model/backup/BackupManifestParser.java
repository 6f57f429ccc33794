package dev.pgdeck.model.backup;

import dev.pgdeck.model.ParseException;
import dev.pgdeck.model.json.Json;
import dev.pgdeck.model.wal.Lsn;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Reads a backup_manifest (versions 1 and 2, PostgreSQL 13-17) and checks its Manifest-Checksum, so that a truncated
 * or edited manifest is reported rather than believed.
 */
public final class BackupManifestParser {
    private static final String CHECKSUM_KEY = "\"Manifest-Checksum\"";

    private BackupManifestParser() {}

    public static BackupManifest parse(String source, String text) throws ParseException {
        Json json = new Json(source);
        Map<String, Object> root = json.object(json.parse(text), "the manifest");
        long version = json.integer(root, "PostgreSQL-Backup-Manifest-Version", "the manifest");
        if (version != 1 && version != 2) {
            throw new ParseException(source, "manifest version " + version + " is not supported, expected 1 or 2");
        }
        List<Object> files = json.array(root.get("Files"), "the manifest's \"Files\"");
        long total = 0;
        for (int i = 0; i < files.size(); i++) {
            Map<String, Object> file = json.object(files.get(i), "file entry " + (i + 1));
            long size = json.integer(file, "Size", "file entry " + (i + 1));
            if (size < 0) {
                throw new ParseException(source, "file entry " + (i + 1) + " has a negative Size");
            }
            total += size;
        }
        List<Object> ranges = json.array(root.get("WAL-Ranges"), "the manifest's \"WAL-Ranges\"");
        if (ranges.isEmpty()) {
            throw new ParseException(source, "\"WAL-Ranges\" is empty, expected at least one range");
        }
        List<WalRange> walRanges = new ArrayList<>();
        for (int i = 0; i < ranges.size(); i++) {
            String what = "WAL range " + (i + 1);
            Map<String, Object> r = json.object(ranges.get(i), what);
            long tli = json.integer(r, "Timeline", what);
            Lsn start = Lsn.tryParse(json.string(r, "Start-LSN", what));
            Lsn end = Lsn.tryParse(json.string(r, "End-LSN", what));
            if (tli < 1 || start == null || end == null || end.isBefore(start)) {
                throw new ParseException(source, what + " should have a timeline >= 1 and Start-LSN <= End-LSN, found "
                        + r);
            }
            walRanges.add(new WalRange((int) tli, start, end));
        }
        String checksum = json.string(root, "Manifest-Checksum", "the manifest");
        verifyChecksum(source, text, checksum);
        return new BackupManifest((int) version, files.size(), total, walRanges, checksum);
    }

    /** PostgreSQL hashes (SHA-256) everything up to and including the newline before the checksum line. */
    private static void verifyChecksum(String source, String text, String expected) throws ParseException {
        int key = text.lastIndexOf(CHECKSUM_KEY);
        int newline = key < 0 ? -1 : text.lastIndexOf('\n', key);
        if (newline < 0) {
            throw new ParseException(source, "the \"Manifest-Checksum\" member should be on a line of its own");
        }
        byte[] digest;
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            digest = sha.digest(text.substring(0, newline + 1).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        String actual = HexFormat.of().formatHex(digest);
        if (!actual.equalsIgnoreCase(expected)) {
            throw new ParseException(source, "the manifest checksum does not match its content (damaged or edited): "
                    + "expected " + expected + ", computed " + actual);
        }
    }
}
