package io.aidesk.query.agentrun;

import io.aidesk.api.agentrun.RunEvents.ReplyDrafted;
import io.aidesk.api.agentrun.RunEvents.ReplySent;
import io.aidesk.api.agentrun.RunEvents.RunStarted;
import io.aidesk.api.agentrun.RunEvents.ToolCallExecuted;
import io.aidesk.api.agentrun.RunEvents.ToolCallFailed;
import io.aidesk.api.agentrun.RunEvents.ToolCallRequested;
import io.aidesk.api.agentrun.RunQueries.ActionView;
import io.aidesk.query.audit.StoredEvents.StoredEvent;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's texts as its events hold them. The working views (handle-message's answer, the approvals inbox) show these:
 * the CRM sends the reply and an admin approves the exact arguments, whatever the tenant's log_content lets the audit's
 * read models keep.
 */
record RunTexts(String input, String reply, Map<String, Map<String, Object>> args,
                Map<String, Map<String, Object>> results, Map<String, String> errors) {

    static RunTexts of(List<StoredEvent> events) {
        String input = null;
        String reply = null;
        Map<String, Map<String, Object>> args = new HashMap<>();
        Map<String, Map<String, Object>> results = new HashMap<>();
        Map<String, String> errors = new HashMap<>();
        for (StoredEvent stored : events) {
            Object event = stored.event();
            if (event instanceof RunStarted started) {
                input = started.input();
            } else if (event instanceof ReplyDrafted drafted) {
                reply = drafted.reply();
            } else if (event instanceof ReplySent sent) {
                reply = sent.reply();
            } else if (event instanceof ToolCallRequested requested) {
                args.put(requested.callId(), requested.args());
            } else if (event instanceof ToolCallExecuted executed) {
                results.put(executed.callId(), executed.result());
            } else if (event instanceof ToolCallFailed failed) {
                errors.put(failed.callId(), failed.error());
            }
        }
        return new RunTexts(input, reply, args, results, errors);
    }

    String inputOr(String kept) {
        return input == null ? kept : input;
    }

    String replyOr(String kept) {
        return reply == null ? kept : reply;
    }

    ActionView open(ActionView kept) {
        return new ActionView(kept.callId(), kept.runId(), kept.tool(), args.getOrDefault(kept.callId(), kept.args()),
                kept.argsHash(), kept.status(), kept.requiresApproval(), kept.reason(),
                results.getOrDefault(kept.callId(), kept.result()), errors.getOrDefault(kept.callId(), kept.error()),
                kept.requestedAt(), kept.deadline(), kept.decidedBy(), kept.decidedAt());
    }
}
