package dev.pgdeck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Messages quote a command by its first line (issue 13, finding 5): the command log keeps the whole. */
class CommandMessagesTest {
    @Test
    void aLongMultiLineCommandIsQuotedByItsFirstLineOnly() {
        String sql = "SELECT version(),\n" + "  pg_is_in_recovery(),\n".repeat(60) + "  1";
        HostCommand psql = HostCommand.of("sudo", "-n", "-u", "postgres", "psql", "-X", "-p", "5432", "-c", sql);
        CommandResult failed = new CommandResult(psql, 2, "",
                "psql: error: connection to server on socket \"/run/postgresql/.s.PGSQL.5432\" failed: No such file"
                        + "\n\tIs the server running locally?\n", Duration.ZERO);

        String message = failed.describeFailure();

        assertTrue(psql.shellLine().length() > 1000, "the command itself is whole");
        assertTrue(psql.shellLine().contains("  1'"));
        assertEquals("`sudo -n -u postgres psql -X -p 5432 -c 'SELECT version(),…` exited with status 2: psql: error:"
                + " connection to server on socket \"/run/postgresql/.s.PGSQL.5432\" failed: No such file", message);
        assertEquals(1, message.lines().count());
    }

    @Test
    void aLongOneLineCommandIsCut() {
        HostCommand script = HostCommand.of("sh", "-c", "x=1; ".repeat(2000));
        assertEquals(HostCommand.BRIEF + 1, script.brief().length());
        assertTrue(script.toString().endsWith("…"));
        HostCommand shortOne = HostCommand.of("systemctl", "is-active", "--", "postgresql-main.service");
        assertEquals(shortOne.shellLine(), shortOne.toString(), "a short command is quoted whole");
        CommandResult chatty = new CommandResult(shortOne, 3, "", "x".repeat(5000), Duration.ZERO);
        assertTrue(chatty.describeFailure().length() < 400, chatty.describeFailure());
    }
}
