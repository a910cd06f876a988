package io.aidesk.command.settings;

import io.aidesk.api.settings.AssistantSettingsChanged;
import io.aidesk.api.settings.AssistantSettingsId;
import io.aidesk.api.settings.AssistantSettingsUpdate;
import io.aidesk.api.settings.AssistantSettingsValues;
import io.aidesk.api.settings.ChangeAssistantSettings;
import io.aidesk.api.settings.SettingChange;
import io.aidesk.api.tenancy.MetadataKeys;
import io.aidesk.api.tenancy.MissingTenantException;
import io.aidesk.api.tenancy.NotFoundException;
import io.aidesk.api.tenancy.TenantId;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.List;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/** One per tenant: decides whether a settings change is valid and records who changed what. */
@Aggregate
public class AssistantSettings {

    @AggregateIdentifier
    private String settingsId;
    private String tenantId;
    private long revision;
    private AssistantSettingsValues current;

    protected AssistantSettings() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public AssistantSettingsUpdate handle(ChangeAssistantSettings command,
                                          @MetaDataValue(MetadataKeys.TENANT_ID) String tenant,
                                          @MetaDataValue(MetadataKeys.USER_ID) String user) {
        if (tenant == null) {
            throw new MissingTenantException(ChangeAssistantSettings.class.getSimpleName());
        }
        boolean exists = settingsId != null;
        if (!command.settingsId().equals(AssistantSettingsId.of(new TenantId(tenant)))
                || (exists && !tenantId.equals(tenant))) {
            throw new NotFoundException("assistant settings");
        }
        if (user == null) {
            throw new IllegalStateException("a settings change must say who made it (" + MetadataKeys.USER_ID + ")");
        }
        AssistantSettingsValues before = exists ? current : AssistantSettingsValues.defaults();
        AssistantSettingsValues after = SettingsRules.apply(before, command.patch());
        List<SettingChange> changes = SettingsRules.diff(before, after);
        if (exists && changes.isEmpty()) {
            return new AssistantSettingsUpdate(current, revision, List.of());
        }
        // the first command always records an event, so the tenant's settings have a stream of their own
        long next = revision + 1;
        apply(new AssistantSettingsChanged(command.settingsId(), tenant, next, after, changes, user));
        return new AssistantSettingsUpdate(after, next, changes);
    }

    @EventSourcingHandler
    void on(AssistantSettingsChanged event) {
        settingsId = event.settingsId();
        tenantId = event.tenantId();
        revision = event.revision();
        current = event.settings();
    }
}
