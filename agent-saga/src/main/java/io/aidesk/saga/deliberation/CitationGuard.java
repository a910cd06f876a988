package io.aidesk.saga.deliberation;

import io.aidesk.api.agentrun.PinnedCitation;
import io.aidesk.api.decision.Decision;
import io.aidesk.api.knowledge.KnowledgeQueries.Citation;
import io.aidesk.api.knowledge.KnowledgeQueries.RetrievedChunk;
import io.aidesk.api.knowledge.KnowledgeQueries.SearchResult;
import io.aidesk.api.tools.ToolNames;
import io.aidesk.gateway.decision.offline.Replies;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A reply never cites a source that was not retrieved for its run: other citations are dropped (and recorded by the
 * caller), and every one dropped lowers the confidence. A reply left with no supporting chunk says so and stays
 * below the tenant's threshold. Kept citations are pinned to the chunk's content hash and document version.
 */
final class CitationGuard {
    /** What the guard let through. */
    record Guarded(String reply, List<PinnedCitation> citations, List<String> dropped, double confidence,
                   boolean needsHuman) {
    }

    private CitationGuard() {
    }

    /**
     * @param answers whether the reply answers from the knowledge; a decision that acts, hands over or replies to
     *                small talk stands on what it does, and needs no passage behind its reply
     */
    static Guarded apply(Decision decision, SearchResult retrieved, double threshold, String language, boolean answers) {
        Map<String, RetrievedChunk> chunks = retrieved.chunks().stream()
                .collect(Collectors.toMap(RetrievedChunk::chunkId, Function.identity(), (a, b) -> a));
        Map<String, Citation> citations = retrieved.citations().stream()
                .collect(Collectors.toMap(Citation::chunkId, Function.identity(), (a, b) -> a));
        List<PinnedCitation> kept = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (String chunkId : new LinkedHashSet<>(decision.citations())) {
            RetrievedChunk chunk = chunks.get(chunkId);
            if (chunk == null) {
                dropped.add(chunkId);
                continue;
            }
            Citation shown = citations.get(chunkId);
            kept.add(new PinnedCitation(chunkId, shown == null ? null : shown.title(), shown == null ? null : shown.url(),
                    shown == null ? null : shown.snippet(), chunk.contentHash(), chunk.documentVersion()));
        }
        double confidence = decision.confidence();
        if (!dropped.isEmpty()) {
            confidence = confidence * kept.size() / (kept.size() + dropped.size());
        }
        String reply = decision.reply();
        boolean needsHuman = decision.needsHuman() || confidence < threshold;
        // asking for data or acting (a ticket for a reported problem) is no answer that needs a passage behind it
        boolean asksForData = !decision.missingFields().isEmpty();
        boolean acts = decision.actions().stream().anyMatch(action -> !ToolNames.HANDOFF_TO_HUMAN.equals(action.tool()));
        if (kept.isEmpty() && !asksForData && !acts && answers) {
            // nothing in the tenant's knowledge stands behind this reply
            confidence = Math.min(confidence, threshold / 2);
            needsHuman = true;
            if (!decision.needsHuman()) {
                reply = Replies.unsure(language);
            }
        }
        return new Guarded(reply, List.copyOf(kept), List.copyOf(dropped), Math.round(confidence * 1000) / 1000.0,
                needsHuman);
    }
}
