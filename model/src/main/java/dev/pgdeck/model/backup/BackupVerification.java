package dev.pgdeck.model.backup;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code pg_verifybackup} said about one base backup: {@code ok}, or its problems in words (one per line it
 * printed, without the program-name prefixes), e.g. {@code checksum mismatch for file "base/5/1259"} or
 * {@code WAL parsing failed for timeline 1}.
 *
 * @param walSource where the WAL was checked: "the backup" (its pg_wal.tar, or pg_wal of a plain backup), "the WAL
 *                  archive" (a backup taken without WAL), null if pg_verifybackup did not get that far
 */
public record BackupVerification(String label, boolean ok, List<String> problems, String walSource) {
    public BackupVerification {
        problems = List.copyOf(problems);
    }

    /** From the verify command's exit status and output (see the profiles' {@code verifyBackup}). */
    public static BackupVerification of(String label, int exitCode, String stdout, String stderr) {
        List<String> problems = new ArrayList<>();
        for (String line : stderr.split("\n")) {
            String p = stripPrefix(line.strip());
            if (!p.isEmpty()) {
                problems.add(p);
            }
        }
        boolean verified = exitCode == 0 && stdout.contains("backup successfully verified");
        if (exitCode == 127) {
            problems.add(0, "pg_verifybackup is not installed on the host (or not where the host profile says)");
        } else if (!verified && problems.isEmpty()) {
            problems.add("pg_verifybackup ended with exit status " + exitCode + " without saying why");
        }
        String walSource = stdout.contains("pgdeck-wal: backup") ? "the backup"
                : stdout.contains("pgdeck-wal: archive") ? "the WAL archive" : null;
        return new BackupVerification(label, verified, verified ? List.of() : problems, walSource);
    }

    private static String stripPrefix(String line) {
        for (String prefix : List.of("pg_verifybackup: error: ", "pg_verifybackup: ", "pg_waldump: error: ",
                "pg_waldump: fatal: ", "pg_waldump: ", "pgdeck: ")) {
            if (line.startsWith(prefix)) {
                String rest = line.substring(prefix.length());
                return prefix.startsWith("pg_waldump") ? "WAL: " + rest : rest;
            }
        }
        return line;
    }
}
