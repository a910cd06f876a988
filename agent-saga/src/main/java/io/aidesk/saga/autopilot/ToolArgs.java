package io.aidesk.saga.autopilot;

import io.aidesk.api.decision.Decision.ProposedAction;
import io.aidesk.api.tools.ToolSchemas;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fills what the run already knows into a proposed call's arguments: the conversation's contact and the conversation
 * itself (the model is never trusted to name them), and an empty tag list. The approver sees the completed call.
 */
final class ToolArgs {
    private ToolArgs() {
    }

    static List<ProposedAction> complete(List<ProposedAction> actions, String conversationId, String contactId) {
        return actions.stream().map(action -> complete(action, conversationId, contactId)).toList();
    }

    @SuppressWarnings("unchecked")
    private static ProposedAction complete(ProposedAction action, String conversationId, String contactId) {
        Map<String, Object> properties;
        try {
            properties = (Map<String, Object>) ToolSchemas.of(action.tool()).parameters().get("properties");
        } catch (IllegalArgumentException unknownTool) {
            return action; // the policy refuses it by name
        }
        Map<String, Object> args = new LinkedHashMap<>(action.args());
        if (properties.containsKey("contact_id") && contactId != null) {
            args.put("contact_id", contactId);
        }
        if (properties.containsKey("conversation_id") && conversationId != null) {
            args.put("conversation_id", conversationId);
        }
        if (properties.containsKey("tags")) {
            args.putIfAbsent("tags", List.of());
        }
        return new ProposedAction(action.tool(), args);
    }
}
