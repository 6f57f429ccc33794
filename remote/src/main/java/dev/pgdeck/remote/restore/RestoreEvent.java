package dev.pgdeck.remote.restore;

import dev.pgdeck.model.HostCommand;
import dev.pgdeck.model.restore.RecoveryProgress;
import dev.pgdeck.model.restore.RestoreStep;

/**
 * What a running restore reports, in order, from the executor's thread (a UI hands them to its own thread).
 * Pattern-match on the record type.
 */
public sealed interface RestoreEvent {
    /** A step begins; {@code index} is its position in the plan. */
    record StepStarted(int index, RestoreStep step) implements RestoreEvent {
    }

    /** A command of the current step is about to run (the command log shows the same line). */
    record CommandStarted(int index, HostCommand command) implements RestoreEvent {
    }

    record StepFinished(int index, StepResult result) implements RestoreEvent {
    }

    /** A new line of the restored server's log. */
    record LogLine(String line) implements RestoreEvent {
    }

    /** The recovery so far, read from the log (segments restored, consistency, stop, new timeline). */
    record Progress(RecoveryProgress progress) implements RestoreEvent {
    }

    /** Something the operator should read now: a cancel taking effect, a problem explained. */
    record Notice(String text) implements RestoreEvent {
    }
}
