package io.aidesk.query.conversation;

import io.aidesk.api.conversation.ConversationQueries.ConversationView;
import io.aidesk.api.conversation.ConversationQueries.FindConversation;
import io.aidesk.api.tenancy.Caller;
import io.aidesk.api.tenancy.Ids;
import io.aidesk.api.Queries;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;


/** Reads a conversation of the caller's tenant. */
@RestController
@RequestMapping("/api/ai/conversations")
class ConversationQueryController {

    private final QueryGateway queries;

    ConversationQueryController(QueryGateway queries) {
        this.queries = queries;
    }

    @GetMapping("/{id}")
    ConversationView find(@PathVariable String id, Caller caller) {
        return Queries.await(queries.query(new FindConversation(Ids.known(id, "conversation")), ConversationView.class));
    }
}
