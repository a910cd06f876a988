package io.aidesk.app;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every JSON endpoint of knowledge, conversations, the copilot, the autopilot, approvals, erasure and the CRM answers malformed JSON, a field of the wrong
 * type and an oversized body with a precise problem+json 4xx, and nothing is created.
 */
class MalformedRequestTest extends ApiTest {

    private record Endpoint(String method, String path, String role, String wrongType, String field) {
    }

    @Test
    void malformedWrongTypedAndOversizedBodiesAreRefusedAndLeaveNothingBehind() {
        String tenant = newTenant();
        String service = token(tenant, "svc", "service");
        String conversation = call("POST", "/api/ai/conversations", service,
                "{\"channel\": \"web\", \"contact_id\": \"c-1\"}", Map.of()).json().path("id").asText();
        List<Endpoint> endpoints = List.of(
                new Endpoint("POST", "/api/ai/kb/sources", "admin",
                        "{\"type\": \"url\", \"url\": \"https://acme.test/\", \"config\": {\"same_domain_only\": \"maybe\"}}",
                        "config.same_domain_only"),
                new Endpoint("POST", "/api/ai/kb/query", "agent", "{\"query\": \"hours\", \"top_k\": \"five\"}", "top_k"),
                new Endpoint("POST", "/api/ai/conversations", "service",
                        "{\"channel\": \"web\", \"contact_id\": {\"id\": 1}}", "contact_id"),
                new Endpoint("POST", "/api/ai/conversations/" + conversation + "/messages", "service",
                        "{\"sender\": \"customer\", \"text\": [\"hi\"]}", "text"),
                new Endpoint("POST", "/api/ai/assist/draft-reply", "agent",
                        "{\"conversation_id\": \"" + conversation + "\", \"message\": {\"text\": \"hi\"}}", "message"),
                new Endpoint("POST", "/api/crm/contacts", "service", "{\"name\": \"Ana\", \"fields\": [\"vip\"]}", "fields"),
                new Endpoint("POST", "/api/ai/agent/handle-message", "service",
                        "{\"conversation_id\": \"" + conversation + "\", \"message_id\": [7]}", "message_id"),
                new Endpoint("POST", "/api/ai/approvals/" + UUID.randomUUID() + "/approve", "admin",
                        "{\"args_hash\": {\"sha\": 7}}", "args_hash"),
                new Endpoint("POST", "/api/ai/approvals/" + UUID.randomUUID() + "/reject", "admin",
                        "{\"reason\": [\"no\"]}", "reason"),
                new Endpoint("POST", "/api/ai/privacy/erase", "admin", "{\"contact_id\": 7}", "contact_id"));
        String oversized = "{\"text\": \"" + "x".repeat(1_100_000) + "\"}";

        for (Endpoint endpoint : endpoints) {
            String token = token(tenant, "u", endpoint.role());
            Response malformed = call(endpoint.method(), endpoint.path(), token, "{\"query\": ", Map.of());
            assertThat(malformed.status()).as("malformed " + endpoint.path()).isEqualTo(400);
            assertThat(malformed.contentType()).as(endpoint.path()).startsWith("application/problem+json");

            Response wrongType = call(endpoint.method(), endpoint.path(), token, endpoint.wrongType(), Map.of());
            assertThat(wrongType.status()).as("wrong type " + endpoint.path()).isEqualTo(400);
            assertThat(wrongType.json().path("field").asText()).as(endpoint.path()).isEqualTo(endpoint.field());

            Response tooBig = call(endpoint.method(), endpoint.path(), token, oversized, Map.of());
            assertThat(tooBig.status()).as("oversized " + endpoint.path()).isEqualTo(413);
            assertThat(tooBig.contentType()).as(endpoint.path()).startsWith("application/problem+json");
        }

        // a number or a boolean where the API takes text is refused too, not read as its digits
        for (String body : List.of("{\"sender\": \"customer\", \"text\": 42}",
                "{\"sender\": \"customer\", \"text\": true}")) {
            Response number = call("POST", "/api/ai/conversations/" + conversation + "/messages", service, body, Map.of());
            assertThat(number.status()).as(body).isEqualTo(400);
            assertThat(number.json().path("field").asText()).as(body).isEqualTo("text");
        }

        assertThat(get("/api/ai/kb/sources", token(tenant, "a", "admin")).json().path("items").size()).isZero();
        assertThat(get("/api/crm/contacts", service).json().path("items").size()).isZero();
        assertThat(get("/api/ai/conversations/" + conversation, service).json().path("messages").size()).isZero();
    }
}
