package dev.pgdeck.model.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class CommandLinePatternTest {
    private static final String DIR = "/var/lib/postgresql/15/main.drill-20251011-143502";

    @Test
    void matchesCommandLinesHoldingThePathButNotItsOwn() {
        String pattern = CommandLinePattern.containing(DIR);
        assertEquals("[/]var/lib/postgresql/15/main\\.drill-20251011-143502", pattern);
        Pattern p = Pattern.compile(pattern); // java.util.regex agrees with POSIX ERE on these constructs
        assertTrue(p.matcher("tar -xzf /b/base.tar.gz -C " + DIR).find());
        assertTrue(p.matcher("restic restore abc --target " + DIR + "/pgdeck-restic").find());
        assertFalse(p.matcher("sudo -n -u postgres sh -c pkill ... sh " + pattern).find(), "its own pkill");
        assertFalse(p.matcher("tar -xzf /b/base.tar.gz -C /var/lib/postgresql/15/mainXdrill-20251011-143502").find(),
                "the dot is a dot");
        assertFalse(p.matcher("tar -C /var/lib/postgresql/15/main").find(), "the instance's own directory");
    }

    @Test
    void specialCharactersAreLiterals() {
        String pattern = CommandLinePattern.containing("/d/a(b)[c]*$x");
        assertTrue(Pattern.compile(pattern).matcher("rm -rf /d/a(b)[c]*$x").find());
        assertThrows(IllegalArgumentException.class, () -> CommandLinePattern.containing(""));
        assertThrows(IllegalArgumentException.class, () -> CommandLinePattern.containing("..."));
    }
}
