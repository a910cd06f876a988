package io.aidesk.api.replay;

import io.aidesk.api.settings.AssistantSettingsValues;
import io.aidesk.api.settings.SettingChange;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Replays as the admin reads them, what a new one would replay, and what a running one has left. */
public final class ReplayQueries {
    private ReplayQueries() {
    }

    /**
     * The customer messages a replay of this selection would decide again, oldest first: those posted in [from, to)
     * or in the listed conversations (both when both are given), each with the run that answered it (the autopilot's,
     * else a copilot draft of the same words), at most limit of them.
     */
    public record FindReplayCandidates(Instant from, Instant to, List<String> conversationIds, int limit) {
    }

    /** @param more how many more messages the selection holds beyond the limit */
    public record ReplayCandidates(List<ReplayItem> items, int more) {
    }

    /** The next items a running replay has still to decide, in order. */
    public record FindReplayWork(String replayId, int limit) {
    }

    public record IndexedItem(int index, ReplayItem item) {
    }

    /** @param status running, completed or cancelled */
    public record ReplayWork(String status, AssistantSettingsValues proposed, String model, List<IndexedItem> pending) {
    }

    public record ListReplays() {
    }

    public record ReplaySummary(String replayId, String status, String description, String selection, String model,
                                String requestedBy, int items, int replayed, int outcomeChanged, Instant startedAt,
                                Instant endedAt) {
    }

    public record ReplayList(List<ReplaySummary> items) {
    }

    /** @param changedOnly only the items whose outcome changed */
    public record FindReplay(String replayId, boolean changedOnly) {
    }

    /**
     * @param changes what the proposal changes in the settings (from → to)
     * @param totals  before and after, over the items replayed so far
     */
    public record ReplayView(ReplaySummary replay, List<SettingChange> changes, ReplayTotals totals,
                             List<ReplayItemView> items) {
    }

    /**
     * @param resolutionBefore the share of items the original runs answered (no handover, no data asked for); items
     *                         no run answered count as unresolved
     * @param tools            per tool, how many calls would run or wait for approval
     */
    public record ReplayTotals(int replayed, int outcomeChanged, int changed, Double resolutionBefore,
                               Double resolutionAfter, int handoversBefore, int handoversAfter, int askedForDataBefore,
                               int askedForDataAfter, Map<String, Integer> toolsBefore, Map<String, Integer> toolsAfter) {
    }

    /** @param message the customer's words as the tenant's log_content kept them (null for a test question) */
    public record ReplayItemView(int index, String conversationId, String messageId, String message, String question,
                                 String originalRunId, String replayRunId, ReplayOutcome original,
                                 ReplayOutcome replayed, List<String> differences, boolean outcomeChanged) {
    }
}
