package io.aidesk.command.privacy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import io.aidesk.api.privacy.PrivacyCommands.EraseContact;
import io.aidesk.api.tenancy.Caller;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;

/** An admin erases a contact of their tenant ("right to be forgotten"). */
@RestController
@RequestMapping("/api/ai/privacy")
class PrivacyController {
    private final CommandGateway commands;

    PrivacyController(CommandGateway commands) {
        this.commands = commands;
    }

    record EraseRequest(@JsonDeserialize(using = JsonString.class) String contactId) {
    }

    /** A JSON string and nothing else: a contact id sent as a number or a list is a mistake, not an id. */
    static final class JsonString extends StdDeserializer<String> {
        JsonString() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.hasToken(JsonToken.VALUE_STRING)) {
                return parser.getText();
            }
            return (String) context.handleUnexpectedToken(String.class, parser);
        }
    }

    /** 200 with the erasure once the contact's key is destroyed, in the same transaction as the recorded erasure. */
    @PostMapping(path = "/erase", consumes = MediaType.APPLICATION_JSON_VALUE)
    ContactErasure.Erasure erase(@RequestBody EraseRequest body, Caller caller) {
        return commands.sendAndWait(new EraseContact(ContactErasure.contactId(body.contactId())));
    }
}
