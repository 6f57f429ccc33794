package dev.pgdeck.remote.probe;

import dev.pgdeck.remote.host.HostCommandException;
import dev.pgdeck.remote.host.HostShell;
import dev.pgdeck.remote.hosts.HostProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Runs {@code pg_waldump} on the host over archived WAL segments, all of them in one round trip (one
 * {@link CommandBatch} part per segment, so each keeps its own output and exit status). The profile's
 * {@code walDump} command names the binary ({@code pgWalDump}) and how to reach the archive (e.g. through
 * {@code sudo -u postgres}); it runs with {@code TZ=UTC}, since pg_waldump prints times in its local zone with only an
 * abbreviation. The caller picks what to decode with pg_waldump's own options ({@code --rmgr=Transaction},
 * {@code --relation=...}); {@link WalStops} reads where time targets can stop.
 *
 * <p>pg_waldump given one segment file reads that segment to its end, reading the next file only for a record that
 * continues into it; a segment ending in the middle of a record, or in zeros, ends with "error in WAL record" on
 * standard error and exit status 1 after printing every record before: the output is still the segment's records.
 */
public final class WalDump {
    /** Options are words for pg_waldump; the profile's script splits them on spaces, so they may hold none. */
    private static final Pattern OPTION = Pattern.compile("--?[A-Za-z][A-Za-z0-9-]*(=[A-Za-z0-9/_.:,-]+)?");
    private static final Pattern SEGMENT = Pattern.compile("[0-9A-F]{24}(\\.partial)?");

    private final HostShell shell;
    private final HostProfile profile;
    private final Map<String, String> values;

    /** @param values the instance's profile values ({@code walArchive}, {@code pgWalDump}, ...) */
    public WalDump(HostShell shell, HostProfile profile, Map<String, String> values) {
        this.shell = shell;
        this.profile = profile;
        this.values = Map.copyOf(values);
    }

    /** Whether the profile says how to run pg_waldump on this host. */
    public boolean available() {
        return profile.has("walDump");
    }

    /** The WAL archive the segments are read from (what the results are about). */
    public String archive() {
        return values.get("walArchive");
    }

    /**
     * pg_waldump's output for each segment, by segment name, in one round trip.
     *
     * @param segments archived segment file names (24 hex digits, or with {@code .partial})
     * @param options pg_waldump options, e.g. {@code --rmgr=Transaction}
     * @throws HostCommandException when the host could not be reached at all
     */
    public Map<String, CommandBatch.PartResult> run(List<String> segments, List<String> options, Duration timeout)
            throws HostCommandException {
        for (String o : options) {
            if (!OPTION.matcher(o).matches()) {
                throw new IllegalArgumentException("not a pg_waldump option pgdeck passes: " + o);
            }
        }
        List<CommandBatch.Part> parts = new ArrayList<>();
        String joined = String.join(" ", options);
        for (String s : segments) {
            if (!SEGMENT.matcher(s).matches()) {
                throw new IllegalArgumentException("not a WAL segment file name: " + s);
            }
            parts.add(new CommandBatch.Part(s, profile.command("walDump", values,
                    Map.of("segment", s, "walDumpOptions", joined))));
        }
        return CommandBatch.run(shell, parts, timeout);
    }
}
