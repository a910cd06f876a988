package io.aidesk.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.ingestion.index.KnowledgeIndex;
import io.aidesk.ingestion.parse.ParsedDocument;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the autopilot does with the offline model, through the API, for each kind of request, in English and Spanish,
 * in words of its own: an internet provider's tenant whose billing and sales actions need the account number, at the
 * threshold 0.7 with every tool allowed.
 */
class AutopilotOutcomesTest extends ApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    KnowledgeIndex index;

    private String service;
    private String contactId;

    @BeforeEach
    void internetProviderWithItsHelpCenter() {
        String tenant = newTenant();
        String admin = token(tenant, "ana", "admin");
        service = token(tenant, "crm", "service");
        page(tenant, "https://fibra.test/plans", "Plans and prices", "Plans and prices",
                "Fiber 500 costs $45 per month and Fiber 1000 costs $60 per month. Installation is free.");
        page(tenant, "https://fibra.test/es/tarifas", "Tarifas", "Tarifas y precios",
                "La Fibra 500 cuesta 40 euros al mes y la Fibra 1000 cuesta 55 euros al mes. La instalación es gratuita.");
        contactId = call("POST", "/api/crm/contacts", service, "{\"name\": \"Ann Lee\", \"plan\": \"Fiber 500\"}", Map.of())
                .json().path("id").asText();
        assertThat(put("/api/ai/settings", admin, """
                {"autopilot_enabled": true, "confidence_threshold": 0.7, "escalation_rules": [],
                 "allowed_tools": ["create_ticket", "add_internal_note", "set_contact_field", "create_task",
                                   "handoff_to_human", "change_plan", "issue_credit", "cancel_subscription"],
                 "required_fields": {"billing": ["account_number"], "sales": ["account_number"]}}
                """).status()).isEqualTo(200);
    }

    private void page(String tenant, String url, String title, String heading, String text) {
        index.index(tenant, UUID.randomUUID().toString(), new ParsedDocument(url, title,
                List.of(new ParsedDocument.Block(text, List.of(heading), null))));
    }

    /** The customer's messages posted one after the other in one conversation; the last run once it settles. */
    private JsonNode handled(String... texts) {
        String conversation = call("POST", "/api/ai/conversations", service,
                "{\"channel\": \"web\", \"contact_id\": \"" + contactId + "\"}", Map.of()).json().path("id").asText();
        JsonNode run = null;
        for (String text : texts) {
            String message;
            try {
                message = call("POST", "/api/ai/conversations/" + conversation + "/messages", service,
                        JSON.writeValueAsString(Map.of("sender", "customer", "text", text)), Map.of()).json().path("id").asText();
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            run = settledRun(service, conversation, message);
        }
        return run;
    }

    private static List<String> tools(JsonNode run, String status) {
        List<String> tools = new ArrayList<>();
        run.path("actions").forEach(action -> {
            if (action.path("status").asText().equals(status)) {
                tools.add(action.path("tool").asText());
            }
        });
        return tools;
    }

    @Test
    void aQuestionIsAnsweredFromTheHelpCenterWithoutAskingForTheAccount() {
        for (String question : List.of("What does the Fiber 500 package cost each month?", "¿Cuánto cuesta al mes la Fibra 500?")) {
            JsonNode run = handled(question);
            assertThat(run.path("status").asText()).as(question + " " + run).isEqualTo("completed");
            assertThat(run.path("missing_fields")).as(question).isEmpty();
            assertThat(run.path("reply").asText()).as(question).containsAnyOf("$45", "40 euros");
            assertThat(run.path("handoff_reason").isNull()).as(question).isTrue();
        }
    }

    @Test
    void aReportedProblemOpensATicket() {
        for (String report : List.of("Since the storm yesterday the little box on the wall blinks red and nothing loads.",
                "Desde la tormenta de ayer la cajita de la pared parpadea en rojo y no carga nada.")) {
            JsonNode run = handled(report);
            assertThat(tools(run, "executed")).as(report + " " + run).containsExactly("create_ticket");
            assertThat(run.path("status").asText()).as(report).isEqualTo("completed");
        }
    }

    @Test
    void aCancellationWaitsForAnAdmin() {
        for (String request : List.of("Account AC-55120: please wind down my service at the end of this month, we are relocating overseas.",
                "Cuenta AC-55120: den por terminado mi servicio a final de mes, me mudo al extranjero.")) {
            JsonNode run = handled(request);
            assertThat(run.path("status").asText()).as(request + " " + run).isEqualTo("awaiting_approval");
            assertThat(tools(run, "awaiting_approval")).as(request).containsExactly("cancel_subscription");
            assertThat(tools(run, "executed")).as("nothing sensitive runs before an admin approves").isEmpty();
        }
    }

    @Test
    void aPlanChangeWaitsForAnAdminWithThePlanTheCustomerNamed() {
        for (String request : List.of("Account AC-55120 - bump us up to Fiber 1000, the kids stream all day.",
                "Me gustaría pasar mi contrato a la Fibra 1000. Cuenta AC-55120.")) {
            JsonNode run = handled(request);
            assertThat(run.path("status").asText()).as(request + " " + run).isEqualTo("awaiting_approval");
            JsonNode action = run.path("actions").get(0);
            assertThat(action.path("tool").asText()).isEqualTo("change_plan");
            assertThat(action.path("args").path("plan").asText()).as(request).containsAnyOf("Fiber 1000", "Fibra 1000");
        }
    }

    @Test
    void aRefundAsksForWhatItNeedsAndGoesOnWhenTheCustomerGivesIt() {
        JsonNode asking = handled("We had no connection for three days, so I want part of this month's fee back.");
        assertThat(asking.path("status").asText()).as(asking.toString()).isEqualTo("completed");
        assertThat(asking.path("missing_fields").toString()).contains("account_number", "amount");
        assertThat(tools(asking, "executed")).isEmpty();

        JsonNode given = handled("Llevamos tres días sin conexión y quiero que me devuelvan 15 euros de este mes.",
                "Claro, es la AC-55120");
        assertThat(given.path("status").asText()).as(given.toString()).isEqualTo("awaiting_approval");
        JsonNode credit = given.path("actions").get(0);
        assertThat(credit.path("tool").asText()).isEqualTo("issue_credit");
        assertThat(credit.path("args").path("amount").asDouble()).isEqualTo(15.0);
        assertThat(credit.path("args").path("currency").asText()).isEqualTo("EUR");
    }

    @Test
    void aCustomerWhoWantsAPersonIsHandedOver() {
        for (String request : List.of("I'd rather speak with one of your staff, not a program.",
                "Prefiero hablar con alguien de carne y hueso.")) {
            JsonNode run = handled(request);
            assertThat(run.path("status").asText()).as(request + " " + run).isEqualTo("escalated");
            assertThat(run.path("handoff_reason").asText()).isEqualTo("customer_request");
        }
    }

    @Test
    void smallTalkGetsAShortReplyAndNoOneIsCalled() {
        for (String chat : List.of("Cheers, have a great weekend!", "¡Muchas gracias, que tengan buen día!")) {
            JsonNode run = handled(chat);
            assertThat(run.path("status").asText()).as(chat + " " + run).isEqualTo("completed");
            assertThat(run.path("actions")).as(chat).isEmpty();
            assertThat(run.path("handoff_reason").isNull()).as(chat).isTrue();
            assertThat(run.path("reply").asText()).as(chat).isNotBlank();
        }
    }
}
