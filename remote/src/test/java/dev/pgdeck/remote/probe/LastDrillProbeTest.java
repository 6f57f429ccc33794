package dev.pgdeck.remote.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgdeck.model.HostStatus;
import dev.pgdeck.model.InstanceStatus;
import dev.pgdeck.model.overview.LastDrill;
import dev.pgdeck.remote.host.CommandLog;
import dev.pgdeck.remote.host.LocalShell;
import dev.pgdeck.remote.hosts.HostProfile;
import dev.pgdeck.remote.restore.DrillLog;
import dev.pgdeck.remote.drill.DrillRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The last successful drill comes with the overview, read from pgdeck's drill log in the same batch (no extra round
 * trip), through the sandbox profile's real commands on the local shell. No server runs here: the SQL part fails on
 * its own, the drill log is read all the same.
 */
class LastDrillProbeTest {
    private static final HostProfile PROFILE = HostProfile.builtIn("sandbox");

    @TempDir
    Path root;

    private LocalShell shell;
    private Map<String, String> overrides;
    private Path logFile;

    @BeforeEach
    void layout() throws Exception {
        shell = new LocalShell("forge", new CommandLog());
        overrides = Map.of("root", root.toString(), "version", "15");
        logFile = Files.createDirectories(root.resolve("var/lib/postgresql/15")).resolve("pgdeck-drills-main.jsonl");
    }

    private InstanceStatus probe() {
        HostStatus host = new HostOverviewProbe(shell, PROFILE, overrides)
                .probe(List.of(new HostOverviewProbe.Instance("main", 1)));
        assertEquals(1, host.probe().roundTrips());
        return host.instances().get(0);
    }

    private DrillLog drillLog() {
        return new DrillLog(shell, PROFILE, PROFILE.values(overrides, "main", 1), Clock.systemUTC());
    }

    private static DrillRecord drill(String at, String outcome, boolean reached) {
        return new DrillRecord("main", OffsetDateTime.parse(at), "time 2025-10-11 14:30:00+00", "20251011-120000",
                outcome, reached, 2, 7.5, List.of(new DrillRecord.Step("extract", 1.5)), 1);
    }

    @Test
    void theDrillLogIsOnePartOfTheBatch() {
        assertTrue(new HostOverviewProbe(shell, PROFILE, overrides).parts(
                List.of(new HostOverviewProbe.Instance("main", 1))).stream().anyMatch(p -> p.key().equals("0:drills")
                && p.command().shellLine().contains(logFile.toString())));
    }

    @Test
    void noLogYetIsNeverDrilledAndAmberInWords() {
        InstanceStatus main = probe();
        assertNull(main.lastDrill());
        assertFalse(main.errors().containsKey("drills"), main.errors().toString());
        assertTrue(main.health().reasons().stream().anyMatch(r -> r.startsWith("no recovery drill has succeeded")),
                main.health().reasons().toString());
    }

    @Test
    void theNewestSuccessfulDrillIsShownNotALaterFailedOne() throws Exception {
        DrillLog log = drillLog();
        log.append(drill("2025-09-01T10:00:00Z", "SUCCEEDED", true));
        DrillRecord newest = drill(OffsetDateTime.now(ZoneOffset.UTC).minusDays(3).withNano(0).toString(),
                "SUCCEEDED", true);
        log.append(newest);
        log.append(drill(OffsetDateTime.now(ZoneOffset.UTC).minusDays(1).withNano(0).toString(), "FAILED", false));

        InstanceStatus main = probe();
        assertEquals(new LastDrill(newest.at(), newest.target(), true, 7.5), main.lastDrill());
        assertTrue(main.health().reasons().stream().noneMatch(r -> r.contains("drill")),
                "a drill 3 days old is recent: " + main.health().reasons());
        assertEquals(newest, log.lastSuccessful().orElseThrow(), "the same answer as the restore package's reader");
    }

    @Test
    void anOldDrillIsAmberWithItsAge() throws Exception {
        drillLog().append(drill(OffsetDateTime.now(ZoneOffset.UTC).minusDays(40).toString(), "SUCCEEDED", true));
        InstanceStatus main = probe();
        assertTrue(main.health().reasons().stream().anyMatch(r -> r.startsWith("the last successful recovery drill"
                + " was 40 d") && r.endsWith("longer than 30 d")), main.health().reasons().toString());
    }

    @Test
    void aDamagedLogIsAnErrorOfItsOwnPart() throws Exception {
        Files.writeString(logFile, "{not json\n");
        InstanceStatus main = probe();
        assertNull(main.lastDrill());
        assertTrue(main.errors().get("drills").contains("pgdeck's drill log"), main.errors().toString());
        assertTrue(main.health().reasons().stream().noneMatch(r -> r.contains("recovery drill")),
                "not known is not never: " + main.health().reasons());
    }
}
