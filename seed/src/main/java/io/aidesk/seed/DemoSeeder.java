package io.aidesk.seed;

import io.aidesk.api.settings.AssistantSettingsId;
import io.aidesk.api.settings.AssistantSettingsUpdate;
import io.aidesk.api.settings.ChangeAssistantSettings;
import io.aidesk.api.tenancy.MetadataKeys;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

import java.util.Map;

/** In the demo profile, gives each demo tenant its settings; a second run changes nothing and records nothing. */
@Component
@Profile("demo")
class DemoSeeder implements ApplicationRunner {
    static final String SEED_USER = "aidesk-seed";
    private static final Logger log = LoggerFactory.getLogger(DemoSeeder.class);

    private final CommandGateway commands;

    DemoSeeder(CommandGateway commands) {
        this.commands = commands;
    }

    @Override
    public void run(ApplicationArguments args) {
        for (DemoTenant tenant : DemoTenant.ALL) {
            AssistantSettingsUpdate update = commands.sendAndWait(GenericCommandMessage
                    .asCommandMessage(new ChangeAssistantSettings(AssistantSettingsId.of(tenant.id()), tenant.settings()))
                    .andMetaData(Map.of(MetadataKeys.TENANT_ID, tenant.id().value(), MetadataKeys.USER_ID, SEED_USER)));
            log.info("demo tenant {} ({}): settings at revision {}, {} change(s)", tenant.id(), tenant.name(),
                    update.revision(), update.changes().size());
        }
    }
}
