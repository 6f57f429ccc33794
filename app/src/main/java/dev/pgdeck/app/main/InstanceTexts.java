package dev.pgdeck.app.main;

import dev.pgdeck.app.common.Formats;
import dev.pgdeck.model.InstanceStatus;
import dev.pgdeck.model.overview.WindowSummary;
import java.util.ArrayList;
import java.util.List;

/** How an instance's recoverable window and problems read in the instances table. */
final class InstanceTexts {
    private InstanceTexts() {}

    /** {@code 2026-11-23 15:00:01 → 2026-11-23 16:05:38}, with the gaps counted; or why there is none. */
    static String window(InstanceStatus instance) {
        WindowSummary window = instance.recoverableWindow();
        if (window == null) {
            return "";
        }
        if (window.earliest() == null) {
            return window.notes().isEmpty() ? "nothing recoverable" : window.notes().get(0);
        }
        String text = Formats.time(window.earliest()) + " → " + Formats.time(window.latest());
        int gaps = window.gaps().size();
        return gaps == 0 ? text : text + " (" + gaps + (gaps == 1 ? " gap)" : " gaps)");
    }

    /** The last successful recovery drill: {@code drill 3 d ago}, {@code never}, or empty when not known. */
    static String drill(InstanceStatus instance, java.time.Instant now) {
        if (instance.errors().containsKey("drills")) {
            return "not read";
        }
        if (instance.lastDrill() == null) {
            return instance.health() == null ? "" : "never";
        }
        return "drill " + Formats.ago(instance.lastDrill().age(now));
    }

    /** The health reasons and the parts that could not be read, in one line. */
    static String why(InstanceStatus instance) {
        List<String> parts = new ArrayList<>();
        if (instance.error() != null) {
            parts.add(instance.error());
        }
        if (instance.health() != null) {
            parts.addAll(instance.health().reasons());
        }
        instance.errors().forEach((part, message) -> parts.add(part + ": " + message));
        return String.join("; ", parts);
    }
}
