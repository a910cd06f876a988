package io.aidesk.api.replay;

import io.aidesk.api.settings.AssistantSettingsValues;
import io.aidesk.api.settings.SettingsPatch;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/** Commands on a Replay: past customer messages decided again in shadow mode under a proposed change. */
public final class ReplayCommands {
    private ReplayCommands() {
    }

    /**
     * @param current   the tenant's settings now, which the patch changes
     * @param patch     the proposed settings (omitted fields as they are); null for none
     * @param model     the decision model to replay with; null for the one configured
     * @param selection how the items were chosen, in words, for the screen and the audit
     */
    public record StartReplay(@TargetAggregateIdentifier String replayId, String description,
                              AssistantSettingsValues current, SettingsPatch patch, String model, String selection,
                              List<ReplayItem> items) {
    }

    /** One item decided again; recorded once per index, the first recording stands. */
    public record RecordReplayedItem(@TargetAggregateIdentifier String replayId, int index, String replayRunId,
                                     ReplayOutcome original, ReplayOutcome replayed) {
    }

    public record CancelReplay(@TargetAggregateIdentifier String replayId) {
    }
}
