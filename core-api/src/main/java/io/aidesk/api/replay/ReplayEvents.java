package io.aidesk.api.replay;

import io.aidesk.api.settings.AssistantSettingsValues;

import java.util.List;

/** What happened in a replay, tenant-tagged. Its decisions are AgentRuns of mode replay, with their own events. */
public final class ReplayEvents {
    private ReplayEvents() {
    }

    /** @param model null for the decision model configured */
    public record ReplayStarted(String replayId, String tenantId, String description, AssistantSettingsValues current,
                                AssistantSettingsValues proposed, String model, String selection,
                                List<ReplayItem> items, String requestedBy) {
    }

    /** @param differences what changed from the original, as {@link ReplayOutcome#differencesFrom} names it */
    public record ReplayItemReplayed(String replayId, String tenantId, int index, String replayRunId,
                                     ReplayOutcome original, ReplayOutcome replayed, List<String> differences) {
    }

    public record ReplayCompleted(String replayId, String tenantId, int items) {
    }

    public record ReplayCancelled(String replayId, String tenantId, String by) {
    }
}
