package dev.pgdeck.app.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UiPreferencesTest {
    @TempDir
    Path dir;

    @Test
    void savedSettingsComeBackAndOutOfRangeIntervalsAreClamped() throws Exception {
        Path file = dir.resolve("pgdeck/ui.json");
        new UiPreferences(true, 90).save(file);
        assertEquals(new UiPreferences(true, 90), UiPreferences.load(file));
        assertEquals(10, new UiPreferences(false, 1).refreshSeconds());
        assertEquals(3600, new UiPreferences(false, 99_999).refreshSeconds());
    }

    @Test
    void aMissingOrDamagedFileGivesTheDefaults() throws Exception {
        assertEquals(UiPreferences.DEFAULTS, UiPreferences.load(dir.resolve("absent.json")));
        Path damaged = dir.resolve("ui.json");
        Files.writeString(damaged, "{\"darkTheme\": tru");
        assertEquals(UiPreferences.DEFAULTS, UiPreferences.load(damaged));
    }
}
