package dev.pgdeck.app.instance;

import dev.pgdeck.model.HostStatus;
import dev.pgdeck.model.InstanceStatus;
import dev.pgdeck.model.overview.ArchiverStatus;
import dev.pgdeck.model.overview.BaseBackupSummary;
import dev.pgdeck.model.overview.HealthSummary;
import dev.pgdeck.model.overview.WalArchiveSummary;
import dev.pgdeck.model.overview.WindowSummary;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** Overviews as a probe returns them, for window tests that need a state no live sandbox is in. */
final class FixtureHosts {
    static final OffsetDateTime T0 = OffsetDateTime.of(2026, 11, 20, 1, 0, 0, 0, ZoneOffset.UTC);

    private FixtureHosts() {}

    /** Two backups a day apart; segment ...0000000A deleted from the archive: one gap between them. */
    static InstanceStatus withOneGap(String name) {
        List<BaseBackupSummary> backups = List.of(
                new BaseBackupSummary("20261120-010000", T0, T0.plusMinutes(2), "0/2000028", "0/2000100", 1,
                        3_000_000L, "pgdeck", "backup history file", null),
                new BaseBackupSummary("20261121-010000", T0.plusDays(1), T0.plusDays(1).plusMinutes(3),
                        "0/14000028", "0/14000100", 1, 3_100_000L, "pgdeck", "backup history file", null));
        WalArchiveSummary archive = new WalArchiveSummary(30, 30L * 16 * 1024 * 1024, "000000010000000000000002",
                "000000010000000000000020", List.of(new WalArchiveSummary.Gap(1, "000000010000000000000009",
                "00000001000000000000000B", 1)), List.of(), List.of("000000010000000000000002.00000028.backup"),
                List.of());
        WindowSummary window = new WindowSummary(1, T0.plusMinutes(2), T0.plusDays(1).plusHours(6),
                List.of(new WindowSummary.Gap(T0.plusHours(9), T0.plusDays(1).plusMinutes(3),
                        "000000010000000000000009", "00000001000000000000000A")), null, List.of(), List.of());
        ArchiverStatus archiver = new ArchiverStatus(31, 0, "000000010000000000000020", T0.plusDays(1).plusHours(6),
                null, null, 0L, 0L, 0L, 0);
        return new InstanceStatus(name, 5432, "15.18", true, 50_000_000L, archiver, 2, null, false, 1, archive,
                backups, window, List.of(), List.of(), new HealthSummary("fail",
                List.of("WAL gap inside the recoverable window: 00000001000000000000000A is missing")), Map.of());
    }

    static HostStatus host(String name, InstanceStatus... instances) {
        return new HostStatus(name, true, null, T0.plusDays(1).plusHours(6).toInstant(), List.of(instances));
    }
}
