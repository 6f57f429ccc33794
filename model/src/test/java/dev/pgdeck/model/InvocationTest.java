package dev.pgdeck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InvocationTest {
    @Test
    void namesTheProgramAndAsWhomSudoRunsIt() {
        assertEquals(List.of(new Invocation("root", "zfs")),
                Invocation.of(HostCommand.of("sudo", "-n", "zfs", "snapshot", "tank/x@y")));
        assertEquals(List.of(new Invocation("postgres", "env"), new Invocation("postgres", "psql")),
                Invocation.of(HostCommand.of("sudo", "-n", "-u", "postgres", "env", "PGCONNECT_TIMEOUT=5", "psql",
                        "-c", "SELECT 1")));
        assertEquals(List.of(new Invocation(null, "/usr/lib/postgresql/15/bin/pg_ctl")),
                Invocation.of(HostCommand.of("/usr/lib/postgresql/15/bin/pg_ctl", "status")));
        assertEquals(List.of(new Invocation(null, "systemctl")),
                Invocation.of(HostCommand.of("systemctl", "is-active", "x").prefixedBy(List.of())));
        assertEquals(List.of(new Invocation("postgres", "sh")),
                Invocation.of(HostCommand.of("sh", "-c", "x").prefixedBy(List.of("sudo", "-n", "-u", "postgres"))));
    }

    @Test
    void aCombinedCommandNamesNoSingleProgram() {
        assertEquals(List.of(), Invocation.of(HostCommand.of("true").then(HostCommand.of("zfs", "list"))));
        assertEquals(List.of(), Invocation.of(HostCommand.of("sudo", "-n")));
    }

    @Test
    void capabilitiesSayWhichToolsRunEveryWayTheProfileRunsThem() {
        HostCapabilities can = HostCapabilities.of(Map.of(new Invocation(null, "zfs"), true,
                new Invocation("root", "zfs"), false, new Invocation(null, "/usr/lib/postgresql/15/bin/pg_waldump"),
                true), Map.of("/var/lib", 10L));

        assertFalse(can.has("zfs"), "listing works, but snapshots through sudo do not");
        assertTrue(can.has("pg_waldump"));
        assertFalse(can.has("restic"), "never asked");
        assertEquals(List.of("sudo -u root zfs"), can.failing());
        assertEquals("zfs as root through sudo -n", new Invocation("root", "zfs").describe());
    }
}
