package io.aidesk.command.conversation;

import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.Text;
import io.aidesk.api.conversation.Channels;
import io.aidesk.api.StateConflictException;
import io.aidesk.api.conversation.ConversationCommands.HandBackConversation;
import io.aidesk.api.conversation.ConversationCommands.TakeOverConversation;
import io.aidesk.api.conversation.ConversationCommands.HandOverConversation;
import io.aidesk.api.conversation.ConversationCommands.PostMessage;
import io.aidesk.api.conversation.ConversationCommands.StartConversation;
import io.aidesk.api.conversation.ConversationEvents.ConversationHandedBack;
import io.aidesk.api.conversation.ConversationEvents.ConversationHandedOver;
import io.aidesk.api.conversation.ConversationEvents.ConversationStarted;
import io.aidesk.api.conversation.ConversationEvents.MessagePosted;
import io.aidesk.api.tenancy.MetadataKeys;
import io.aidesk.api.tenancy.MissingTenantException;
import io.aidesk.api.tenancy.NotFoundException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.HashSet;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * An inbox thread: who it is with, on which channel, its messages in order, and whether a person has taken it over
 * (then the autopilot does not reply until an agent hands it back).
 */
@Aggregate
public class Conversation {
    public static final int MAX_TEXT = 10_000;
    static final int MAX_SUBJECT = 300;
    static final int MAX_ID = 128;

    @AggregateIdentifier
    private String conversationId;
    private String tenantId;
    /** The handover reason of a conversation an agent took from the autopilot. */
    public static final String TAKEN_OVER = "taken_over";
    private boolean waitingHuman;
    private final Set<String> messageIds = new HashSet<>();

    protected Conversation() {
    }

    @CommandHandler
    public Conversation(StartConversation command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant,
                        @MetaDataValue(MetadataKeys.USER_ID) String user) {
        if (tenant == null) {
            throw new MissingTenantException(StartConversation.class.getSimpleName());
        }
        if (command.channel() == null || !Channels.CHANNELS.contains(command.channel())) {
            throw new InvalidCommandException("channel", "channel is one of " + Channels.CHANNELS + ", got '"
                    + command.channel() + "'");
        }
        if (command.contactId() == null || command.contactId().isBlank() || command.contactId().length() > MAX_ID) {
            throw new InvalidCommandException("contact_id", "contact_id is the CRM's contact id (1 to " + MAX_ID
                    + " characters)");
        }
        if (command.subject() != null && command.subject().length() > MAX_SUBJECT) {
            throw new InvalidCommandException("subject", "subject is at most " + MAX_SUBJECT + " characters");
        }
        apply(new ConversationStarted(command.conversationId(), tenant, command.channel(), command.contactId().strip(),
                command.subject() == null ? null : command.subject().strip(), user == null ? "system" : user));
    }

    @CommandHandler
    void handle(PostMessage command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant,
                @MetaDataValue(MetadataKeys.USER_ID) String user) {
        owned(tenant);
        if (messageIds.contains(command.messageId())) {
            return; // the same message again (a redelivered step): posted once
        }
        if (command.sender() == null || !Channels.SENDERS.contains(command.sender())) {
            throw new InvalidCommandException("sender", "sender is one of " + Channels.SENDERS + ", got '"
                    + command.sender() + "'");
        }
        if (!Text.readable(command.text())) {
            throw new InvalidCommandException("text", "a message needs text to read, not only spaces or control characters");
        }
        if (command.text().length() > MAX_TEXT) {
            throw new InvalidCommandException("text", "a message is at most " + MAX_TEXT + " characters");
        }
        apply(new MessagePosted(conversationId, tenantId, command.messageId(), command.sender(),
                Channels.roleOf(command.sender()), command.text().strip(), user == null ? "system" : user));
    }

    @CommandHandler
    void handle(HandOverConversation command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        owned(tenant);
        if (!waitingHuman) {
            apply(new ConversationHandedOver(conversationId, tenantId, command.runId(), command.reason(),
                    command.summary()));
        }
    }

    @CommandHandler
    void handle(HandBackConversation command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant,
                @MetaDataValue(MetadataKeys.USER_ID) String user) {
        owned(tenant);
        if (!waitingHuman) {
            throw new StateConflictException("the conversation is not waiting for a person");
        }
        apply(new ConversationHandedBack(conversationId, tenantId, user == null ? "system" : user));
    }

    @CommandHandler
    void handle(TakeOverConversation command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant,
                @MetaDataValue(MetadataKeys.USER_ID) String user) {
        owned(tenant);
        if (waitingHuman) {
            throw new StateConflictException("a person has this conversation already");
        }
        String by = user == null ? "system" : user;
        apply(new ConversationHandedOver(conversationId, tenantId, null, TAKEN_OVER, "Taken over by " + by));
    }

    private void owned(String tenant) {
        if (tenant == null || !tenant.equals(tenantId)) {
            throw new NotFoundException("conversation");
        }
    }

    @EventSourcingHandler
    void on(ConversationStarted event) {
        conversationId = event.conversationId();
        tenantId = event.tenantId();
    }

    @EventSourcingHandler
    void on(MessagePosted event) {
        messageIds.add(event.messageId());
    }

    @EventSourcingHandler
    void on(ConversationHandedOver event) {
        waitingHuman = true;
    }

    @EventSourcingHandler
    void on(ConversationHandedBack event) {
        waitingHuman = false;
    }
}
