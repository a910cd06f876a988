package io.aidesk.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** CRM services and agents open conversations and post messages; they read back in order, within the tenant only. */
class ConversationApiTest extends ApiTest {
    private static final String CONVERSATIONS = "/api/ai/conversations";

    private String start(String token, String body) {
        Response created = call("POST", CONVERSATIONS, token, body, Map.of());
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().path("id").asText();
    }

    @Test
    void aServiceOpensAConversationAndMessagesReadBackInOrderWithTheirRoles() {
        String tenant = newTenant();
        String service = token(tenant, "crm-inbox", "service");
        Response created = call("POST", CONVERSATIONS, service,
                "{\"channel\": \"whatsapp\", \"contact_id\": \"c-42\", \"subject\": \"Water heater\"}", Map.of());
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location").orElseThrow()).endsWith(created.json().path("id").asText());
        String id = created.json().path("id").asText();

        Response first = call("POST", CONVERSATIONS + "/" + id + "/messages", service,
                "{\"sender\": \"customer\", \"text\": \"My water heater is leaking\"}", Map.of());
        Response second = call("POST", CONVERSATIONS + "/" + id + "/messages", token(tenant, "ana", "agent"),
                "{\"sender\": \"agent\", \"text\": \"Sorry to hear that, we will help.\"}", Map.of());
        assertThat(first.status()).isEqualTo(201);
        assertThat(second.json().path("role").asText()).isEqualTo("assistant");

        JsonNode read = get(CONVERSATIONS + "/" + id, token(tenant, "au", "auditor")).json();
        assertThat(read.path("channel").asText()).isEqualTo("whatsapp");
        assertThat(read.path("contact_id").asText()).isEqualTo("c-42");
        assertThat(read.path("started_by").asText()).isEqualTo("crm-inbox");
        assertThat(read.path("messages").findValuesAsText("text"))
                .containsExactly("My water heater is leaking", "Sorry to hear that, we will help.");
        assertThat(read.path("messages").findValuesAsText("role")).containsExactly("user", "assistant");
        assertThat(read.path("messages").findValuesAsText("posted_by")).containsExactly("crm-inbox", "ana");
    }

    @Test
    void theListShowsTheTenantsConversationsNewestFirstToAnyRoleAndNoneOfAnotherTenant() {
        String tenant = newTenant();
        String service = token(tenant, "svc", "service");
        String older = start(service, "{\"channel\": \"web\", \"contact_id\": \"c-1\", \"subject\": \"Leak\"}");
        String newer = start(service, "{\"channel\": \"email\", \"contact_id\": \"c-2\", \"subject\": \"Hours\"}");
        call("POST", CONVERSATIONS + "/" + newer + "/messages", service,
                "{\"sender\": \"customer\", \"text\": \"When are you open?\"}", Map.of());
        String stranger = token(newTenant(), "svc", "service");
        start(stranger, "{\"channel\": \"web\", \"contact_id\": \"c-9\"}");

        Response list = get(CONVERSATIONS, token(tenant, "au", "auditor"));
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        JsonNode items = list.json().path("items");
        assertThat(items.findValuesAsText("id")).containsExactly(newer, older);
        assertThat(items.get(0).path("contact_id").asText()).isEqualTo("c-2");
        assertThat(items.get(0).path("channel").asText()).isEqualTo("email");
        assertThat(items.get(0).path("messages").asInt()).isEqualTo(1);
        assertThat(items.get(1).path("messages").asInt()).isZero();
        assertThat(get(CONVERSATIONS + "?limit=1", service).json().path("items").findValuesAsText("id"))
                .containsExactly(newer);
        Response bad = get(CONVERSATIONS + "?limit=0", service);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("field").asText()).isEqualTo("limit");
        assertThat(get(CONVERSATIONS, null).status()).isEqualTo(401);
    }

    @Test
    void anotherTenantsConversationIsNotFoundAndStaysUntouched() {
        String owner = token(newTenant(), "svc", "service");
        String id = start(owner, "{\"channel\": \"web\", \"contact_id\": \"c-1\"}");
        String stranger = token(newTenant(), "svc", "service");

        assertThat(get(CONVERSATIONS + "/" + id, stranger).status()).isEqualTo(404);
        Response posted = call("POST", CONVERSATIONS + "/" + id + "/messages", stranger,
                "{\"sender\": \"customer\", \"text\": \"hello\"}", Map.of());
        assertThat(posted.status()).isEqualTo(404);
        assertThat(posted.contentType()).startsWith("application/problem+json");
        assertThat(get(CONVERSATIONS + "/" + id, owner).json().path("messages").size()).isZero();
        assertThat(get(CONVERSATIONS + "/not-an-id", owner).status()).isEqualTo(404);
    }

    @Test
    void badInputIsRefusedByFieldAndRolesAreEnforced() {
        String tenant = newTenant();
        String service = token(tenant, "svc", "service");
        Map<String, String> badStarts = Map.of(
                "{\"channel\": \"fax\", \"contact_id\": \"c-1\"}", "channel",
                "{\"channel\": \"web\"}", "contact_id",
                "{\"channel\": \"web\", \"contact_id\": \"c-1\", \"subject\": \"" + "s".repeat(301) + "\"}", "subject",
                "{\"channel\": \"web\", \"contact_id\": \"c-1\", \"priority\": 1}", "priority");
        badStarts.forEach((body, field) -> {
            Response refused = call("POST", CONVERSATIONS, service, body, Map.of());
            assertThat(refused.status()).as(body).isEqualTo(400);
            assertThat(refused.json().path("field").asText()).as(body).isEqualTo(field);
        });
        String id = start(service, "{\"channel\": \"email\", \"contact_id\": \"c-1\"}");
        Map<String, String> badMessages = Map.of(
                "{\"sender\": \"robot\", \"text\": \"hi\"}", "sender",
                "{\"sender\": \"customer\", \"text\": \"  \"}", "text",
                "{\"sender\": \"customer\", \"text\": \"" + "x".repeat(10_001) + "\"}", "text");
        badMessages.forEach((body, field) -> {
            Response refused = call("POST", CONVERSATIONS + "/" + id + "/messages", service, body, Map.of());
            assertThat(refused.status()).as(field).isEqualTo(400);
            assertThat(refused.json().path("field").asText()).as(field).isEqualTo(field);
        });
        assertThat(get(CONVERSATIONS + "/" + id, service).json().path("messages").size()).as("nothing half-posted").isZero();

        assertThat(call("POST", CONVERSATIONS, token(tenant, "au", "auditor"),
                "{\"channel\": \"web\", \"contact_id\": \"c-1\"}", Map.of()).status()).isEqualTo(403);
        assertThat(call("POST", CONVERSATIONS, null, "{\"channel\": \"web\", \"contact_id\": \"c-1\"}", Map.of()).status())
                .isEqualTo(401);
    }
}
