package io.aidesk.api.conversation;

import java.time.Instant;
import java.util.List;

/** Reading conversations; the tenant comes from the metadata. */
public final class ConversationQueries {
    private ConversationQueries() {
    }

    public record FindConversation(String conversationId) {
    }

    public record MessageView(String id, String sender, String role, String text, String postedBy, Instant createdAt) {
    }

    /** @param status active, or waiting_human while a person has it (the autopilot does not reply then) */
    public record ConversationView(String id, String channel, String contactId, String subject, String startedBy,
                                   Instant createdAt, String status, List<MessageView> messages) {
        public static final String ACTIVE = "active";
        public static final String WAITING_HUMAN = "waiting_human";
    }
}
