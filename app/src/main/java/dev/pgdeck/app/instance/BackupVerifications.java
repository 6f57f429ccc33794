package dev.pgdeck.app.instance;

import dev.pgdeck.model.backup.BackupVerification;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;

/**
 * The base backups verified in this session and what pg_verifybackup said, by host, instance and backup label: kept
 * across refreshes (a refresh rebuilds the table's rows, not these), forgotten when the console closes. Changed on
 * the JavaFX thread only; {@link #changes()} counts changes so the table can redraw.
 */
public final class BackupVerifications {
    private final Map<String, BackupVerification> results = new HashMap<>();
    private final Set<String> running = new HashSet<>();
    private final IntegerProperty changes = new SimpleIntegerProperty();

    private static String key(String host, String instance, String label) {
        return host + "\u0000" + instance + "\u0000" + label;
    }

    public void started(String host, String instance, String label) {
        running.add(key(host, instance, label));
        changes.set(changes.get() + 1);
    }

    /** The verification ended: with {@code result}, or without one (failed to run, cancelled) when it is null. */
    public void ended(String host, String instance, String label, BackupVerification result) {
        String key = key(host, instance, label);
        running.remove(key);
        if (result != null) {
            results.put(key, result);
        }
        changes.set(changes.get() + 1);
    }

    public BackupVerification result(String host, String instance, String label) {
        return results.get(key(host, instance, label));
    }

    /** "ok", the problems in words, "verifying…" or "not verified yet". */
    public String text(String host, String instance, String label) {
        String key = key(host, instance, label);
        if (running.contains(key)) {
            return "verifying…";
        }
        BackupVerification v = results.get(key);
        if (v == null) {
            return "not verified yet";
        }
        if (v.ok()) {
            return "ok" + (v.walSource() == null ? "" : " (WAL checked in " + v.walSource() + ")");
        }
        return String.join("; ", v.problems());
    }

    /** ok / failed / null (not verified, or running): the style of the table cell. */
    public Boolean ok(String host, String instance, String label) {
        String key = key(host, instance, label);
        BackupVerification v = running.contains(key) ? null : results.get(key);
        return v == null ? null : v.ok();
    }

    public IntegerProperty changes() {
        return changes;
    }
}
