package dev.pgdeck.model.restore;

import dev.pgdeck.model.HostCommand;
import java.util.List;

/**
 * One step of a restore plan, shown to the operator as it will run. {@link Kind#RUN} steps run their commands in
 * order; {@link Kind#AWAIT_PROMOTION} polls its command (the recovery check) while the server log is followed;
 * {@link Kind#VERIFY} runs the operator's query and keeps its rows.
 *
 * @param safeToCancelBefore whether a cancel may take effect just before this step (a state worth stopping in)
 * @param cleanup whether this step also runs after a cancel or failure (a drill's scratch server and copy)
 */
public record RestoreStep(String name, Kind kind, List<HostCommand> commands, String explanation,
                          boolean safeToCancelBefore, boolean cleanup) {
    public enum Kind { RUN, AWAIT_PROMOTION, VERIFY }

    public RestoreStep {
        commands = List.copyOf(commands);
    }
}
