package dev.pgdeck.app.main;

import dev.pgdeck.model.HostStatus;
import dev.pgdeck.remote.probe.HostActions;
import dev.pgdeck.remote.sandbox.Progress;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** The hosts the console shows. Called from worker threads only: every method may do I/O. */
public interface ConsoleHosts extends AutoCloseable {
    /** Brings the hosts up (starts the sandbox when it is one of them), reporting progress. */
    void start(Progress progress) throws Exception;

    /** A fresh overview of every host, the sandbox first. */
    List<HostStatus> refresh();

    /**
     * As {@link #refresh()}, handing each host's overview to {@code eachAnswer} as soon as that host answered (on a
     * worker thread), so the console can show it before the slower hosts are done. This default hands them over at
     * the end.
     */
    default List<HostStatus> refresh(Consumer<HostStatus> eachAnswer) {
        List<HostStatus> all = refresh();
        all.forEach(eachAnswer);
        return all;
    }

    /** The operator's actions on {@code hostName}'s instances; empty when that host has none (or is unknown). */
    default Optional<HostActions> actions(String hostName) {
        return Optional.empty();
    }

    @Override
    void close() throws Exception;
}
