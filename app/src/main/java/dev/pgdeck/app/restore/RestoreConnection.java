package dev.pgdeck.app.restore;

import dev.pgdeck.remote.probe.HostActions;
import dev.pgdeck.remote.restore.RestoreWorkflow;

/** One instance opened for a restore: its workflow (read, plan, execute) and the host actions (new base backup). */
public record RestoreConnection(String host, String instance, int port, RestoreWorkflow workflow,
                                HostActions actions) {
}
