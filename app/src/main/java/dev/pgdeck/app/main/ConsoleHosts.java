package dev.pgdeck.app.main;

import dev.pgdeck.model.HostStatus;
import dev.pgdeck.remote.sandbox.Progress;
import java.util.List;

/** The hosts the console shows. Called from worker threads only: every method may do I/O. */
public interface ConsoleHosts extends AutoCloseable {
    /** Brings the hosts up (starts the sandbox when it is one of them), reporting progress. */
    void start(Progress progress) throws Exception;

    /** A fresh overview of every host, the sandbox first. */
    List<HostStatus> refresh();

    @Override
    void close() throws Exception;
}
