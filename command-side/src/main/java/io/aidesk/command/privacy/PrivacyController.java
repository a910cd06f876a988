package io.aidesk.command.privacy;

import io.aidesk.api.privacy.PrivacyCommands.EraseContact;
import io.aidesk.api.tenancy.Caller;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;


/** An admin erases a contact of their tenant ("right to be forgotten"). */
@RestController
@RequestMapping("/api/ai/privacy")
class PrivacyController {
    private final CommandGateway commands;

    PrivacyController(CommandGateway commands) {
        this.commands = commands;
    }

    record EraseRequest(String contactId) {
    }

    /** 200 with the erasure once the contact's key is destroyed, in the same transaction as the recorded erasure. */
    @PostMapping(path = "/erase", consumes = MediaType.APPLICATION_JSON_VALUE)
    ContactErasure.Erasure erase(@RequestBody EraseRequest body, Caller caller) {
        return commands.sendAndWait(new EraseContact(ContactErasure.contactId(body.contactId())));
    }
}
