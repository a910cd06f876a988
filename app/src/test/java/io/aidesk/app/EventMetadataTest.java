package io.aidesk.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.aidesk.api.settings.AssistantSettingsId;
import io.aidesk.api.settings.ChangeAssistantSettings;
import io.aidesk.api.settings.SettingsPatch;
import io.aidesk.api.tenancy.MetadataKeys;
import io.aidesk.api.tenancy.MissingTenantException;
import io.aidesk.api.tenancy.TenantId;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import io.aidesk.api.conversation.ConversationQueries.ConversationList;
import io.aidesk.api.conversation.ConversationQueries.ListConversations;
import io.aidesk.api.knowledge.KnowledgeQueries.ListSources;
import io.aidesk.api.knowledge.KnowledgeQueries.SourceList;
import io.aidesk.api.settings.AssistantSettingsView;
import io.aidesk.api.settings.FindAssistantSettings;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reads the event store itself: what a compliance reviewer replays must say who acted, for which tenant, why. */
class EventMetadataTest extends ApiTest {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    CommandGateway commands;

    @Autowired
    QueryGateway queries;

    private List<Map<String, Object>> events(String tenant) {
        return jdbc.queryForList("""
                SELECT payload_type, meta_data, event_identifier FROM domain_event_entry
                WHERE aggregate_identifier = ? ORDER BY sequence_number
                """, AssistantSettingsId.of(new TenantId(tenant)));
    }

    @Test
    void settingsEventsCarryTenantUserAndCorrelationInTheirMetadata() throws Exception {
        String tenant = newTenant();
        String admin = token(tenant, "ana", "admin");

        Response first = call("PUT", "/api/ai/settings", admin, "{\"autopilot_enabled\": true}",
                Map.of("X-Correlation-Id", "crm-request-42"));
        Response second = put("/api/ai/settings", admin, "{\"confidence_threshold\": 0.9}");
        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(200);
        assertThat(first.headers().firstValue("X-Correlation-Id")).hasValue("crm-request-42");

        List<Map<String, Object>> stored = events(tenant);
        assertThat(stored).hasSize(2);
        for (Map<String, Object> event : stored) {
            assertThat(event.get("payload_type")).isEqualTo("io.aidesk.api.settings.AssistantSettingsChanged");
            JsonNode metadata = JSON.readTree((byte[]) event.get("meta_data"));
            assertThat(metadata.path(MetadataKeys.TENANT_ID).asText()).isEqualTo(tenant);
            assertThat(metadata.path(MetadataKeys.USER_ID).asText()).isEqualTo("ana");
            assertThat(metadata.path(MetadataKeys.CAUSATION_ID).asText()).as("the command that caused it").isNotBlank()
                    .isNotEqualTo(event.get("event_identifier"));
        }
        JsonNode firstMetadata = JSON.readTree((byte[]) stored.get(0).get("meta_data"));
        JsonNode secondMetadata = JSON.readTree((byte[]) stored.get(1).get("meta_data"));
        assertThat(firstMetadata.path(MetadataKeys.CORRELATION_ID).asText()).isEqualTo("crm-request-42");
        assertThat(secondMetadata.path(MetadataKeys.CORRELATION_ID).asText())
                .isEqualTo(second.headers().firstValue("X-Correlation-Id").orElseThrow());
    }

    @Test
    void aCommandWithoutATenantIsRefusedAndStoresNothing() {
        String tenant = newTenant();
        ChangeAssistantSettings command = new ChangeAssistantSettings(AssistantSettingsId.of(new TenantId(tenant)),
                new SettingsPatch(null, true, null, null, null, null, null));

        assertThatThrownBy(() -> commands.sendAndWait(GenericCommandMessage.asCommandMessage(command)
                .andMetaData(Map.of(MetadataKeys.USER_ID, "ana"))))
                .isInstanceOf(MissingTenantException.class);
        assertThatThrownBy(() -> commands.sendAndWait(GenericCommandMessage.asCommandMessage(command)
                .andMetaData(Map.of(MetadataKeys.TENANT_ID, "", MetadataKeys.USER_ID, "ana"))))
                .isInstanceOf(MissingTenantException.class);
        assertThat(events(tenant)).isEmpty();
    }

    @Test
    void aQueryWithoutATenantIsRefusedByTheQueryBusAndOneWithATenantIsAnswered() throws Exception {
        String tenant = newTenant();
        Map<Object, Class<?>> asked = Map.of(new FindAssistantSettings(), AssistantSettingsView.class,
                new ListSources(), SourceList.class, new ListConversations(10), ConversationList.class);
        for (Map.Entry<Object, Class<?>> query : asked.entrySet()) {
            for (Map<String, Object> metadata : List.of(Map.<String, Object>of(), Map.<String, Object>of(MetadataKeys.TENANT_ID, ""),
                    Map.<String, Object>of(MetadataKeys.TENANT_ID, "not a tenant!"))) {
                assertThatThrownBy(() -> queries.query(new GenericMessage<>(query.getKey(), metadata),
                        ResponseTypes.instanceOf(query.getValue())).get())
                        .as("%s with metadata %s", query.getKey(), metadata)
                        .hasRootCauseInstanceOf(MissingTenantException.class);
            }
            assertThat(queries.query(new GenericMessage<>(query.getKey(), Map.of(MetadataKeys.TENANT_ID, tenant)),
                    ResponseTypes.instanceOf(query.getValue())).get()).isInstanceOf(query.getValue());
        }
    }
}
