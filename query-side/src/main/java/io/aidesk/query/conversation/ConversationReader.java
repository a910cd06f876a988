package io.aidesk.query.conversation;

import io.aidesk.api.conversation.ConversationEvents.ConversationStarted;
import io.aidesk.api.conversation.ConversationEvents.MessagePosted;
import io.aidesk.api.conversation.ConversationQueries.ConversationList;
import io.aidesk.api.conversation.ConversationQueries.ConversationSummary;
import io.aidesk.api.conversation.ConversationQueries.ConversationView;
import io.aidesk.api.conversation.ConversationQueries.ListConversations;
import io.aidesk.api.conversation.ConversationQueries.FindConversation;
import io.aidesk.api.conversation.ConversationQueries.MessageView;
import io.aidesk.api.tenancy.MetadataKeys;
import io.aidesk.api.tenancy.NotFoundException;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.aidesk.query.audit.StoredEvents;
import io.aidesk.query.audit.StoredEvents.StoredEvent;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A conversation with its messages in order, from ai_conversations and ai_messages; the texts from the conversation's
 * own events, since the read model keeps them only as the tenant's log_content allows.
 */
@Component
class ConversationReader {
    private final JdbcTemplate jdbc;
    private final StoredEvents events;

    ConversationReader(JdbcTemplate jdbc, StoredEvents events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    @QueryHandler
    ConversationView handle(FindConversation query, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        return find(tenant, query.conversationId());
    }

    @QueryHandler
    ConversationList handle(ListConversations query, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        return new ConversationList(jdbc.query("""
                SELECT c.id, c.channel, c.contact_id, c.subject, c.status, c.created_at, c.last_message_at,
                       (SELECT count(*) FROM ai_messages m WHERE m.tenant_id = c.tenant_id AND m.conversation_id = c.id)
                         AS messages
                FROM ai_conversations c WHERE c.tenant_id = ?
                ORDER BY c.created_at DESC, c.id LIMIT ?
                """, (rs, n) -> new ConversationSummary(rs.getString("id"), rs.getString("channel"),
                rs.getString("contact_id"), rs.getString("subject"), rs.getString("status"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("last_message_at") == null ? null : rs.getTimestamp("last_message_at").toInstant(),
                rs.getInt("messages")), tenant, query.limit()));
    }

    private ConversationView find(String tenant, String conversationId) {
        List<ConversationView> found = jdbc.query("""
                SELECT id, channel, contact_id, subject, started_by, created_at, status FROM ai_conversations
                WHERE tenant_id = ? AND id = ?
                """, (rs, n) -> new ConversationView(rs.getString("id"), rs.getString("channel"),
                rs.getString("contact_id"), rs.getString("subject"), rs.getString("started_by"),
                rs.getTimestamp("created_at").toInstant(), rs.getString("status"), List.of()), tenant, conversationId);
        if (found.isEmpty()) {
            throw new NotFoundException("conversation");
        }
        ConversationView conversation = found.get(0);
        String subject = conversation.subject();
        Map<String, String> texts = new HashMap<>();
        for (StoredEvent event : events.ofAggregate(tenant, conversationId)) {
            if (event.event() instanceof MessagePosted posted) {
                texts.put(posted.messageId(), posted.text());
            } else if (event.event() instanceof ConversationStarted started) {
                subject = started.subject();
            }
        }
        List<MessageView> messages = jdbc.query("""
                SELECT id, sender, role, text, posted_by, created_at FROM ai_messages
                WHERE tenant_id = ? AND conversation_id = ? ORDER BY position
                """, (rs, n) -> new MessageView(rs.getString("id"), rs.getString("sender"), rs.getString("role"),
                texts.getOrDefault(rs.getString("id"), rs.getString("text")), rs.getString("posted_by"),
                rs.getTimestamp("created_at").toInstant()), tenant, conversationId);
        return new ConversationView(conversation.id(), conversation.channel(), conversation.contactId(),
                subject, conversation.startedBy(), conversation.createdAt(), conversation.status(), messages);
    }
}
