package dev.pgdeck.model.restore;

import dev.pgdeck.model.HostCommand;
import java.util.List;

/**
 * One step of a restore plan, shown to the operator as it will run. {@link Kind#RUN} steps run their commands in
 * order; {@link Kind#AWAIT_PROMOTION} polls its command (the recovery check) while the server log is followed;
 * {@link Kind#AWAIT_PAUSE} the same, until recovery has paused at the target (read-only, for the operator to inspect);
 * {@link Kind#VERIFY} runs the operator's query and keeps its rows.
 *
 * @param safeToCancelBefore whether a cancel may take effect just before this step (a state worth stopping in)
 * @param cleanup whether this step also runs after a cancel or failure (a drill's scratch server and copy)
 * @param interruptibleIn where a cancel may stop this step in the middle: the scratch or staging directory its
 *     commands write into (and nothing else), whose processes are then ended; null when the step runs to its end
 */
public record RestoreStep(String name, Kind kind, List<HostCommand> commands, String explanation,
                          boolean safeToCancelBefore, boolean cleanup, String interruptibleIn) {
    public enum Kind { RUN, AWAIT_PROMOTION, AWAIT_PAUSE, VERIFY }

    public RestoreStep {
        commands = List.copyOf(commands);
    }

    public RestoreStep(String name, Kind kind, List<HostCommand> commands, String explanation,
                       boolean safeToCancelBefore, boolean cleanup) {
        this(name, kind, commands, explanation, safeToCancelBefore, cleanup, null);
    }

    /** This step, stoppable in the middle: its commands only write into {@code dir}, which a cancel gives up. */
    public RestoreStep interruptibleIn(String dir) {
        return new RestoreStep(name, kind, commands, explanation, safeToCancelBefore, cleanup, dir);
    }
}
