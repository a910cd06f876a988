package io.aidesk.projections.conversation;

import io.aidesk.api.conversation.ConversationEvents.ConversationHandedBack;
import io.aidesk.api.conversation.ConversationEvents.ConversationHandedOver;
import io.aidesk.api.conversation.ConversationEvents.ConversationStarted;
import io.aidesk.api.conversation.ConversationQueries.ConversationView;
import io.aidesk.api.conversation.ConversationEvents.MessagePosted;
import io.aidesk.api.privacy.PersonalData;
import io.aidesk.api.privacy.PrivacyEvents.ContactErased;
import io.aidesk.projections.privacy.LogContent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;

/**
 * Keeps ai_conversations and ai_messages, in the posting command's transaction (a draft reads what was just posted).
 * Texts are kept as the tenant's log_content allows; the conversation's own readers take them from its events.
 */
@Component
@ProcessingGroup(ConversationProjection.PROCESSING_GROUP)
class ConversationProjection {
    static final String PROCESSING_GROUP = "conversations";

    private final JdbcTemplate jdbc;
    private final LogContent logContent;

    ConversationProjection(JdbcTemplate jdbc, LogContent logContent) {
        this.jdbc = jdbc;
        this.logContent = logContent;
    }

    @EventHandler
    void on(ConversationStarted event, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update("""
                INSERT INTO ai_conversations (id, tenant_id, channel, contact_id, subject, started_by, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING
                """, event.conversationId(), event.tenantId(), event.channel(), event.contactId(),
                logContent.text(logContent.mode(event.tenantId()), event.subject()), event.startedBy(), Timestamp.from(at));
    }

    @EventHandler
    void on(MessagePosted event, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update("""
                INSERT INTO ai_messages (id, tenant_id, conversation_id, position, sender, role, text, text_hash,
                                         text_length, posted_by, created_at)
                VALUES (?, ?, ?, (SELECT count(*) FROM ai_messages WHERE tenant_id = ? AND conversation_id = ?),
                        ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING
                """, event.messageId(), event.tenantId(), event.conversationId(), event.tenantId(), event.conversationId(),
                event.sender(), event.role(), logContent.text(logContent.mode(event.tenantId()), event.text()),
                LogContent.hash(event.text()), LogContent.length(event.text()), event.postedBy(),
                Timestamp.from(at));
        jdbc.update("UPDATE ai_conversations SET last_message_at = ? WHERE id = ?", Timestamp.from(at),
                event.conversationId());
    }

    @EventHandler
    void on(ConversationHandedOver event) {
        jdbc.update("UPDATE ai_conversations SET status = ? WHERE id = ?", ConversationView.WAITING_HUMAN,
                event.conversationId());
    }

    @EventHandler
    void on(ConversationHandedBack event) {
        jdbc.update("UPDATE ai_conversations SET status = ? WHERE id = ?", ConversationView.ACTIVE, event.conversationId());
    }

    /** The contact's key is gone: so are the texts the read model kept of their conversations. */
    @EventHandler
    void on(ContactErased event) {
        jdbc.update("UPDATE ai_conversations SET subject = CASE WHEN subject IS NULL THEN NULL ELSE ? END "
                + "WHERE tenant_id = ? AND contact_id = ?", PersonalData.ERASED, event.tenantId(), event.contactId());
        jdbc.update("UPDATE ai_messages SET text = ?, text_hash = NULL, text_length = NULL WHERE tenant_id = ? "
                        + "AND conversation_id IN "
                        + "(SELECT id FROM ai_conversations WHERE tenant_id = ? AND contact_id = ?)", PersonalData.ERASED,
                event.tenantId(), event.tenantId(), event.contactId());
    }
}
