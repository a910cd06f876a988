package io.aidesk.api.conversation;

import java.time.Instant;
import java.util.List;

/** Reading conversations; the tenant comes from the metadata. */
public final class ConversationQueries {
    private ConversationQueries() {
    }

    public record FindConversation(String conversationId) {
    }

    /** The tenant's conversations, newest first, at most {@code limit} (1 to 200). */
    public record ListConversations(int limit) {
        public static final int DEFAULT_LIMIT = 50;
        public static final int MAX_LIMIT = 200;
    }

    /** A conversation in the tenant's list: the subject as the read model keeps it (the tenant's log_content). */
    public record ConversationSummary(String id, String channel, String contactId, String subject, String status,
                                      Instant createdAt, Instant lastMessageAt, int messages) {
    }

    public record ConversationList(List<ConversationSummary> items) {
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
