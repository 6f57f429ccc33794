package dev.pgdeck.model.restore;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tablespaces a restore has to handle besides the data directory (a {@code pg_basebackup -Ft} backup holds one
 * {@code <oid>.tar.gz} per tablespace beside {@code base.tar.gz}, whose {@code tablespace_map} names the live
 * locations).
 *
 * @param inBackup the OIDs of the tablespaces the chosen backup holds, sorted
 * @param live the instance's own tablespaces now: OID to the directory its {@code pg_tblspc/<oid>} link points at
 *     (empty when it has none, or when they could not be read)
 * @param liveKnown whether {@code live} was read; an in-place restore of a backup with tablespaces needs it
 */
public record RestoreTablespaces(List<String> inBackup, Map<String, String> live, boolean liveKnown) {
    public static final RestoreTablespaces NONE = new RestoreTablespaces(List.of(), Map.of(), true);

    public RestoreTablespaces {
        inBackup = inBackup.stream().sorted(RestoreTablespaces::byNumber).toList();
        live = Collections.unmodifiableMap(new TreeMap<>(live));
    }

    /**
     * The OIDs of the tablespace tars among a backup directory's file names ({@code 16384.tar.gz}; the restore
     * extracts gzipped tars, as it does {@code base.tar.gz}).
     */
    public static List<String> oidsIn(java.util.Collection<String> backupFiles) {
        return dev.pgdeck.model.BaseBackupNames.tablespaceOids(backupFiles.stream()
                .filter(f -> f.endsWith(".tar.gz")).toList());
    }

    /**
     * The instance's tablespace links as {@code find <datadir>/pg_tblspc -mindepth 1 -maxdepth 1 -type l -printf
     * '%f %l\n'} lists them ({@code <oid> <target>} a line); lines that are not an OID and an absolute path are left out.
     */
    public static Map<String, String> parseLinks(String listing) {
        Map<String, String> links = new TreeMap<>();
        for (String line : listing.split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0 && line.substring(0, space).matches("[1-9][0-9]*") && line.startsWith("/", space + 1)) {
                links.put(line.substring(0, space), line.substring(space + 1));
            }
        }
        return links;
    }

    private static int byNumber(String a, String b) {
        return Long.compare(Long.parseLong(a), Long.parseLong(b));
    }
}
