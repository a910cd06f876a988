package io.aidesk.query.conversation;

import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.conversation.ConversationQueries.ConversationList;
import io.aidesk.api.conversation.ConversationQueries.ConversationView;
import io.aidesk.api.conversation.ConversationQueries.ListConversations;
import io.aidesk.api.conversation.ConversationQueries.FindConversation;
import io.aidesk.api.tenancy.Caller;
import io.aidesk.api.tenancy.Ids;
import io.aidesk.api.Queries;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;


/** Reads the caller's tenant's conversations: the list, newest first, and one with its messages. */
@RestController
@RequestMapping("/api/ai/conversations")
class ConversationQueryController {

    private final QueryGateway queries;

    ConversationQueryController(QueryGateway queries) {
        this.queries = queries;
    }

    @GetMapping
    ConversationList list(@RequestParam(name = "limit", required = false) String limit, Caller caller) {
        return Queries.await(queries.query(new ListConversations(limit(limit)), ConversationList.class));
    }

    private static int limit(String value) {
        if (value == null || value.isBlank()) {
            return ListConversations.DEFAULT_LIMIT;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed >= 1 && parsed <= ListConversations.MAX_LIMIT) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidCommandException("limit", "limit is a whole number from 1 to " + ListConversations.MAX_LIMIT);
    }

    @GetMapping("/{id}")
    ConversationView find(@PathVariable String id, Caller caller) {
        return Queries.await(queries.query(new FindConversation(Ids.known(id, "conversation")), ConversationView.class));
    }
}
