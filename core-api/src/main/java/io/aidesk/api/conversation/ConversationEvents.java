package io.aidesk.api.conversation;

import io.aidesk.api.privacy.PersonalData;

/** What happened to a conversation, tenant-tagged. */
public final class ConversationEvents {
    private ConversationEvents() {
    }

    public record ConversationStarted(String conversationId, String tenantId, String channel, String contactId,
                                      @PersonalData String subject, String startedBy) {
    }

    /** @param role how a model reads it: user (the customer), assistant (agent or AI Desk) or system */
    public record MessagePosted(String conversationId, String tenantId, String messageId, String sender, String role,
                                @PersonalData String text, String postedBy) {
    }

    /** The conversation waits for a person; summary is the internal note they read first. */
    public record ConversationHandedOver(String conversationId, String tenantId, String runId, String reason,
                                         @PersonalData String summary) {
    }

    public record ConversationHandedBack(String conversationId, String tenantId, String by) {
    }
}
