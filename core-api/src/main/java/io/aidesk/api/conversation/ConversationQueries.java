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

    public record ConversationView(String id, String channel, String contactId, String subject, String startedBy,
                                   Instant createdAt, List<MessageView> messages) {
    }
}
