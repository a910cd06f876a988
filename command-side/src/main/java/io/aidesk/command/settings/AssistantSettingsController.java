package io.aidesk.command.settings;

import io.aidesk.api.settings.AssistantSettingsId;
import io.aidesk.api.settings.AssistantSettingsUpdate;
import io.aidesk.api.settings.ChangeAssistantSettings;
import io.aidesk.api.settings.SettingsPatch;
import io.aidesk.api.tenancy.Caller;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Admins change their tenant's assistant settings; the tenant comes from the caller's token. */
@RestController
@RequestMapping("/api/ai/settings")
class AssistantSettingsController {

    private final CommandGateway commandGateway;

    AssistantSettingsController(CommandGateway commandGateway) {
        this.commandGateway = commandGateway;
    }

    /** Omitted fields keep their value; the answer lists what changed. */
    @PutMapping
    AssistantSettingsUpdate change(@RequestBody SettingsPatch patch, Caller caller) {
        return commandGateway.sendAndWait(
                new ChangeAssistantSettings(AssistantSettingsId.of(caller.tenantId()), patch));
    }
}
