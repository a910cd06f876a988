package io.aidesk.api.conversation;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Commands on a Conversation, the inbox thread AI Desk works on; the tenant and the user travel in the metadata. */
public final class ConversationCommands {
    private ConversationCommands() {
    }

    /** @param channel web, email, whatsapp or sms */
    public record StartConversation(@TargetAggregateIdentifier String conversationId, String channel, String contactId,
                                    String subject) {
    }

    /** @param sender customer, agent (a person in the inbox) or assistant (AI Desk itself) */
    public record PostMessage(@TargetAggregateIdentifier String conversationId, String messageId, String sender,
                              String text) {
    }

    /** A person takes over: the autopilot stops replying until an agent hands the conversation back. */
    public record HandOverConversation(@TargetAggregateIdentifier String conversationId, String runId, String reason,
                                       String summary) {
    }

    public record HandBackConversation(@TargetAggregateIdentifier String conversationId) {
    }

    /** An agent takes the conversation from the autopilot: recorded as a handover for the reason taken_over. */
    public record TakeOverConversation(@TargetAggregateIdentifier String conversationId) {
    }
}
