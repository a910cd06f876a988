package io.aidesk.query.conversation;

import io.aidesk.api.conversation.ConversationQueries.ConversationView;
import io.aidesk.api.conversation.ConversationQueries.FindConversation;
import io.aidesk.api.conversation.ConversationQueries.MessageView;
import io.aidesk.api.tenancy.MetadataKeys;
import io.aidesk.api.tenancy.MissingTenantException;
import io.aidesk.api.tenancy.NotFoundException;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;

/** A conversation with its messages in order, from ai_conversations and ai_messages. */
@Component
public class ConversationReader {
    private final JdbcTemplate jdbc;

    public ConversationReader(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @QueryHandler
    ConversationView handle(FindConversation query, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        if (tenant == null) {
            throw new MissingTenantException(FindConversation.class.getSimpleName());
        }
        return find(tenant, query.conversationId());
    }

    /** Call it in a transaction scoped to the tenant. */
    public ConversationView find(String tenant, String conversationId) {
        List<MessageView> messages = jdbc.query("""
                SELECT id, sender, role, text, posted_by, created_at FROM ai_messages
                WHERE tenant_id = ? AND conversation_id = ? ORDER BY position
                """, (rs, n) -> new MessageView(rs.getString("id"), rs.getString("sender"), rs.getString("role"),
                rs.getString("text"), rs.getString("posted_by"), rs.getTimestamp("created_at").toInstant()),
                tenant, conversationId);
        List<ConversationView> found = jdbc.query("""
                SELECT id, channel, contact_id, subject, started_by, created_at, status FROM ai_conversations
                WHERE tenant_id = ? AND id = ?
                """, (rs, n) -> new ConversationView(rs.getString("id"), rs.getString("channel"),
                rs.getString("contact_id"), rs.getString("subject"), rs.getString("started_by"),
                rs.getTimestamp("created_at").toInstant(), rs.getString("status"), messages), tenant, conversationId);
        if (found.isEmpty()) {
            throw new NotFoundException("conversation");
        }
        return found.get(0);
    }
}
