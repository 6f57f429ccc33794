package dev.pgdeck.model;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Base backup directories are named by their start time, {@code YYYYMMDD-HHMMSS} (seed 002). */
public final class BaseBackupNames {
    public static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /** A tablespace's tar in a {@code pg_basebackup -Ft} backup: {@code <oid>.tar.gz}, or {@code <oid>.tar}. */
    private static final java.util.regex.Pattern TABLESPACE_TAR =
            java.util.regex.Pattern.compile("([1-9][0-9]{0,9})\\.tar(\\.gz)?");

    private BaseBackupNames() {}

    /** The OIDs of the tablespaces whose tars are among a backup directory's file names, in numeric order. */
    public static List<String> tablespaceOids(java.util.Collection<String> fileNames) {
        return fileNames.stream().map(TABLESPACE_TAR::matcher).filter(java.util.regex.Matcher::matches)
                .map(m -> m.group(1)).distinct().sorted(java.util.Comparator.comparingLong(Long::parseLong)).toList();
    }

    public static String nameFor(LocalDateTime startedAt) {
        return FORMAT.format(startedAt);
    }

    public static Optional<LocalDateTime> parse(String name) {
        if (name.length() != 15) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDateTime.parse(name, FORMAT));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The backup directory names in a listing of one name per line, oldest first; other entries are ignored. */
    public static List<String> fromListing(String listing) {
        List<String> names = new ArrayList<>();
        for (String line : listing.split("\n")) {
            String name = line.strip();
            if (name.endsWith("/")) {
                name = name.substring(0, name.length() - 1);
            }
            if (parse(name).isPresent()) {
                names.add(name);
            }
        }
        names.sort(null);
        return names;
    }
}
