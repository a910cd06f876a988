package io.aidesk.command.conversation;

import io.aidesk.api.conversation.ConversationCommands.HandBackConversation;
import io.aidesk.api.conversation.ConversationCommands.PostMessage;
import io.aidesk.api.conversation.ConversationCommands.StartConversation;
import io.aidesk.api.conversation.ConversationCommands.TakeOverConversation;
import io.aidesk.api.conversation.Channels;
import io.aidesk.api.conversation.ConversationQueries.ConversationView;
import io.aidesk.api.conversation.ConversationQueries.MessageView;
import io.aidesk.api.tenancy.Caller;
import io.aidesk.api.tenancy.Ids;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** CRM services and agents open conversations and post their messages; reading them is the query side's. */
@RestController
@RequestMapping("/api/ai/conversations")
class ConversationController {

    private final CommandGateway commands;

    ConversationController(CommandGateway commands) {
        this.commands = commands;
    }

    record NewConversation(String channel, String contactId, String subject) {
    }

    record NewMessage(String sender, String text) {
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ConversationView> start(@RequestBody NewConversation body, Caller caller) {
        String id = UUID.randomUUID().toString();
        commands.sendAndWait(new StartConversation(id, body.channel(), body.contactId(), body.subject()));
        ConversationView started = new ConversationView(id, body.channel(), body.contactId().strip(),
                body.subject() == null ? null : body.subject().strip(), caller.userId(), Instant.now(),
                ConversationView.ACTIVE, List.of());
        return ResponseEntity.created(URI.create("/api/ai/conversations/" + id)).body(started);
    }

    @PostMapping(path = "/{id}/messages", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<MessageView> post(@PathVariable String id, @RequestBody NewMessage body, Caller caller) {
        Ids.known(id, "conversation");
        String messageId = UUID.randomUUID().toString();
        commands.sendAndWait(new PostMessage(id, messageId, body.sender(), body.text()));
        MessageView posted = new MessageView(messageId, body.sender(), Channels.roleOf(body.sender()), body.text().strip(),
                caller.userId(), Instant.now());
        return ResponseEntity.created(URI.create("/api/ai/conversations/" + id + "/messages/" + messageId)).body(posted);
    }

    /** An agent takes a conversation from the autopilot, which stops replying to it until it is handed back; 409 when a
     * person has it already. */
    @PostMapping("/{id}/take-over")
    ResponseEntity<Void> takeOver(@PathVariable String id, Caller caller) {
        commands.sendAndWait(new TakeOverConversation(Ids.known(id, "conversation")));
        return ResponseEntity.noContent().build();
    }

    /** An agent gives a conversation that was handed over back to the autopilot. */
    @PostMapping("/{id}/hand-back")
    ResponseEntity<Void> handBack(@PathVariable String id, Caller caller) {
        commands.sendAndWait(new HandBackConversation(Ids.known(id, "conversation")));
        return ResponseEntity.noContent().build();
    }
}
