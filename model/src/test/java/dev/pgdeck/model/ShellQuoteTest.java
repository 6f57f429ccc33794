package dev.pgdeck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShellQuoteTest {
    @Test
    void leavesPlainWordsBare() {
        assertEquals("/var/lib/postgresql/15/main", ShellQuote.quote("/var/lib/postgresql/15/main"));
    }

    @Test
    void quotesShellMetacharacters() {
        assertEquals("'main; touch /tmp/pwned'", ShellQuote.quote("main; touch /tmp/pwned"));
        assertEquals("'$(id)'", ShellQuote.quote("$(id)"));
        assertEquals("''", ShellQuote.quote(""));
    }

    @Test
    void quotesSingleQuotesInside() {
        assertEquals("'it'\"'\"'s'", ShellQuote.quote("it's"));
    }

    @Test
    void commandKeepsEachArgumentOneWord() {
        HostCommand command = HostCommand.of("ls", "-1", "--", "/backups/a b", "x;y");
        assertEquals("ls -1 -- '/backups/a b' 'x;y'", command.shellLine());
        assertEquals("unshare -U ls -1 -- '/backups/a b' 'x;y'",
                command.prefixedBy(List.of("unshare", "-U")).shellLine());
    }
}
