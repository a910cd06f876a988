package io.aidesk.gateway.decision;

import java.util.List;
import java.util.Map;

/**
 * Everything a decision may use.
 *
 * @param conversation the messages, oldest first; the last customer message is the one to answer
 * @param contact      what the CRM knows of the contact (field → value)
 * @param evidence     the chunks retrieved for this run, best first; only these may be cited
 * @param termWeights  the question's words, each with its rarity in the knowledge (idf, highest for a word it lacks)
 */
public record DecisionRequest(List<Turn> conversation, Map<String, String> contact, List<Evidence> evidence,
                              Policy policy, Map<String, Double> termWeights) {
    public DecisionRequest {
        conversation = List.copyOf(conversation);
        contact = contact == null ? Map.of() : Map.copyOf(contact);
        evidence = List.copyOf(evidence);
        termWeights = termWeights == null ? Map.of() : Map.copyOf(termWeights);
    }

    public DecisionRequest(List<Turn> conversation, Map<String, String> contact, List<Evidence> evidence, Policy policy) {
        this(conversation, contact, evidence, policy, Map.of());
    }

    /** @param role user (the customer), assistant or system */
    public record Turn(String role, String text) {
    }

    /**
     * @param score       cosine similarity of the chunk to the question
     * @param context     the page title and heading path the passage sits under
     * @param lexical     the rarity-weighted share of the question's words the chunk holds (0..1)
     * @param relevance   the search's ranking score
     * @param vectorRank  the chunk's rank on the vector side of the search, 0 when that side did not bring it
     * @param lexicalRank its rank on the full-text side, 0 when that side did not bring it
     */
    public record Evidence(String chunkId, String documentId, String title, String url, String content, double score,
                           String context, double lexical, double relevance, int vectorRank, int lexicalRank) {
        public Evidence(String chunkId, String documentId, String title, String url, String content, double score) {
            this(chunkId, documentId, title, url, content, score, title, 0, score, 1, 0);
        }
    }

    /**
     * @param requiredFields per intent, the fields the conversation must give before anything is done
     * @param allowedTools   the tools the tenant allows, described for the model
     */
    public record Policy(double confidenceThreshold, Map<String, List<String>> requiredFields, List<ToolSpec> allowedTools) {
        public Policy {
            requiredFields = requiredFields == null ? Map.of() : Map.copyOf(requiredFields);
            allowedTools = allowedTools == null ? List.of() : List.copyOf(allowedTools);
        }
    }

    /** @param parameters the tool's arguments as a JSON schema object */
    public record ToolSpec(String name, String description, Map<String, Object> parameters) {
    }

    /** The message being answered: the last one the customer sent. */
    public String question() {
        for (int i = conversation.size() - 1; i >= 0; i--) {
            if ("user".equals(conversation.get(i).role())) {
                return conversation.get(i).text();
            }
        }
        return "";
    }
}
