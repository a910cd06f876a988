package io.aidesk.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The built-in CRM the tools act on: contacts with their subscription, per tenant. */
class CrmApiTest extends ApiTest {
    private static final String CONTACTS = "/api/crm/contacts";

    @Test
    void aServiceCreatesAContactWithItsPlanAndReadsItBack() {
        String tenant = newTenant();
        String service = token(tenant, "crm", "service");
        Response created = call("POST", CONTACTS, service, """
                {"name": "Ana López", "email": "ana@example.com", "phone": "+1 608 555 0142", "plan": "pro",
                 "fields": {"policy_number": "GX-204518"}}""", Map.of());
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().path("id").asText();

        JsonNode contact = get(CONTACTS + "/" + id, token(tenant, "au", "auditor")).json();
        assertThat(contact.path("name").asText()).isEqualTo("Ana López");
        assertThat(contact.path("fields").path("policy_number").asText()).isEqualTo("GX-204518");
        assertThat(contact.path("subscription").path("plan").asText()).isEqualTo("pro");
        assertThat(contact.path("subscription").path("status").asText()).isEqualTo("active");
        assertThat(get(CONTACTS, service).json().path("items").findValuesAsText("id")).containsExactly(id);
        for (String path : new String[]{"/api/crm/tickets", "/api/crm/tasks", "/api/crm/notes"}) {
            assertThat(get(path, service).json().path("items").size()).as(path).isZero();
        }
    }

    @Test
    void anotherTenantsContactIsNotFoundAndBadInputIsRefusedByField() {
        String owner = token(newTenant(), "crm", "service");
        String id = call("POST", CONTACTS, owner, "{\"name\": \"Bo\"}", Map.of()).json().path("id").asText();
        String stranger = token(newTenant(), "crm", "service");

        assertThat(get(CONTACTS + "/" + id, stranger).status()).isEqualTo(404);
        assertThat(get(CONTACTS, stranger).json().path("items").size()).isZero();
        assertThat(get(CONTACTS + "/not-an-id", owner).status()).isEqualTo(404);

        Map<String, String> bad = Map.of(
                "{\"name\": \" \"}", "name",
                "{\"name\": \"Bo\", \"email\": \"not-an-email\"}", "email",
                "{\"name\": \"Bo\", \"phone\": \"call me\"}", "phone",
                "{\"name\": \"Bo\", \"fields\": {\"Bad Key\": \"x\"}}", "fields.Bad Key");
        bad.forEach((body, field) -> {
            Response refused = call("POST", CONTACTS, owner, body, Map.of());
            assertThat(refused.status()).as(body).isEqualTo(400);
            assertThat(refused.json().path("field").asText()).as(body).isEqualTo(field);
        });
        assertThat(call("POST", CONTACTS, owner, "{\"name\": \"Bo\", \"tenant_id\": \"other\"}", Map.of()).status())
                .as("a tenant named in the body").isEqualTo(400);
        assertThat(get(CONTACTS, owner).json().path("items").size()).as("nothing half-made").isEqualTo(1);
        assertThat(call("POST", CONTACTS, token(newTenant(), "au", "auditor"), "{\"name\": \"Bo\"}", Map.of()).status())
                .isEqualTo(403);
    }
}
