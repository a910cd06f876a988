package io.aidesk.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.aidesk.api.privacy.Redaction;
import io.aidesk.ingestion.index.KnowledgeIndex;
import io.aidesk.ingestion.parse.ParsedDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A tenant's log_content decides what the read models keep of customers' words: identifiers masked to their last
 * four characters (redacted), or nothing but hashes, lengths and masked previews (none). No raw email, phone or card
 * number reaches a read model or a log line either way; the inbox still reads the conversation as it was written.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedactionTest extends ApiTest {
    private static final String EMAIL = "ann.lee@example.com";
    private static final String PHONE = "+34 612 345 678";
    private static final String CARD = "4111 1111 1111 1111";
    private static final String MESSAGE = "My card " + CARD + " was charged twice for the plumber visit and the tap "
            + "is still leaking, please refund it and email me at " + EMAIL + " or call " + PHONE;
    private static final String HELP = "Refunds for a double charge are made to the same card within five days; "
            + "write to billing@acme.test with the visit date.";
    /** Every read model a tenant has. */
    private static final List<String> READ_MODELS = List.of("ai_conversations", "ai_messages", "ai_runs",
            "ai_actions_log", "ai_run_citations", "ai_assistant_settings", "ai_kb_sources");

    @Autowired
    KnowledgeIndex index;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PlatformTransactionManager transactions;

    private record Thread(String conversation, String draftRun, String autopilotRun) {
    }

    /** A customer writes their identifiers; the copilot drafts and the autopilot acts (a ticket quoting them). */
    private Thread aCustomerWritesTheirIdentifiers(String tenant, String logContent) {
        String admin = token(tenant, "ana", "admin");
        String service = token(tenant, "crm", "service");
        index.index(tenant, UUID.randomUUID().toString(), new ParsedDocument("https://acme.test/help/refunds",
                "Refunds", List.of(new ParsedDocument.Block(HELP, List.of("Refunds"), null))));
        String contact = call("POST", "/api/crm/contacts", service, "{\"name\": \"Ann Lee\", \"email\": \"" + EMAIL
                + "\"}", Map.of()).json().path("id").asText();
        assertThat(put("/api/ai/settings", admin, "{\"confidence_threshold\": 0, \"escalation_rules\": [], "
                + "\"log_content\": \"" + logContent + "\"}").status()).isEqualTo(200);
        String conversation = call("POST", "/api/ai/conversations", service, "{\"channel\": \"email\", \"contact_id\": \""
                + contact + "\", \"subject\": \"Charged twice, " + EMAIL + "\"}", Map.of()).json().path("id").asText();
        String message = call("POST", "/api/ai/conversations/" + conversation + "/messages", service,
                "{\"sender\": \"customer\", \"text\": \"" + MESSAGE + "\"}", Map.of()).json().path("id").asText();
        String draftRun = call("POST", "/api/ai/assist/draft-reply", token(tenant, "bo", "agent"),
                "{\"conversation_id\": \"" + conversation + "\", \"message\": \"" + MESSAGE + "\"}", Map.of())
                .json().path("run_id").asText();
        assertThat(put("/api/ai/settings", admin, "{\"autopilot_enabled\": true}").status()).isEqualTo(200);
        JsonNode run = settledRun(service, conversation, message);
        String runId = run.path("run_id").asText();
        await().atMost(Duration.ofSeconds(15)).until(() -> List.of("completed", "escalated")
                .contains(get("/api/ai/agent/runs/" + runId, admin).json().path("status").asText()));
        return new Thread(conversation, draftRun, runId);
    }

    private String everyReadModel(String tenant) {
        return new TenantRows(jdbc, transactions).text(tenant, READ_MODELS);
    }

    private <T> T asTenant(String tenant, String sql, Class<T> type, Object... args) {
        return new TenantRows(jdbc, transactions).as(tenant, () -> jdbc.queryForObject(sql, type, args));
    }

    private static JsonNode payloadOf(JsonNode events, String type) {
        for (JsonNode event : events) {
            if (event.path("type").asText().equals(type)) {
                return event.path("payload");
            }
        }
        throw new AssertionError("no " + type + " in " + events);
    }

    private static void assertNoRawIdentifier(String text) {
        assertThat(text).doesNotContain(EMAIL, "612 345 678", "612345678", CARD, "4111111111111111");
    }

    @Test
    void redactedKeepsTheTextsWithEveryIdentifierMaskedAndNoLogLineHoldsOne(CapturedOutput output) {
        String tenant = newTenant();
        Thread thread = aCustomerWritesTheirIdentifiers(tenant, Redaction.REDACTED);
        LoggerFactory.getLogger(RedactionTest.class).info("a handler that logs what a customer wrote: {}", MESSAGE);

        String readModels = everyReadModel(tenant);
        assertNoRawIdentifier(readModels);
        assertThat(readModels).contains("My card ***************1111 was charged twice")
                .contains("***************.com").contains("*********** 678");
        JsonNode detail = get("/api/ai/runs/" + thread.autopilotRun(), token(tenant, "aud", "auditor")).json();
        assertThat(detail.path("input").asText()).isEqualTo(Redaction.mask(MESSAGE));
        assertThat(detail.path("input_hash").asText()).isEqualTo(Redaction.sha256(MESSAGE));
        assertThat(detail.path("log_content").asText()).isEqualTo("redacted");
        assertNoRawIdentifier(detail.toString());
        assertNoRawIdentifier(get("/api/ai/runs/" + thread.draftRun(), token(tenant, "aud", "auditor")).body());

        JsonNode events = get("/api/ai/runs/" + thread.autopilotRun() + "/events", token(tenant, "aud", "auditor"))
                .json().path("items");
        JsonNode sent = payloadOf(events, "ReplySent");
        JsonNode working = get("/api/ai/agent/runs/" + thread.autopilotRun(), token(tenant, "crm", "service")).json();
        assertThat(working.path("reply").asText()).as("the CRM sends the reply as written")
                .isEqualTo(sent.path("reply").asText());
        assertThat(detail.path("reply").asText()).isEqualTo(Redaction.mask(sent.path("reply").asText()));
        JsonNode requested = payloadOf(events, "ToolCallRequested");
        assertThat(requested.path("args").path("summary").asText()).as("the ticket quotes the customer")
                .contains(EMAIL);
        assertThat(working.path("actions").get(0).path("args")).isEqualTo(requested.path("args"));
        assertThat(detail.path("actions").get(0).path("args").path("summary").asText())
                .isEqualTo(Redaction.mask(requested.path("args").path("summary").asText()));

        JsonNode inbox = get("/api/ai/conversations/" + thread.conversation(), token(tenant, "bo", "agent")).json();
        assertThat(inbox.path("messages").get(0).path("text").asText()).as("the inbox reads what was written")
                .isEqualTo(MESSAGE);
        assertThat(inbox.path("subject").asText()).isEqualTo("Charged twice, " + EMAIL);

        assertThat(output.getAll()).contains("a handler that logs what a customer wrote: My card ***************1111");
        assertNoRawIdentifier(output.getAll());
    }

    @Test
    void noneKeepsOnlyHashesLengthsAndMaskedPreviews(CapturedOutput output) {
        String tenant = newTenant();
        Thread thread = aCustomerWritesTheirIdentifiers(tenant, Redaction.NONE);

        String readModels = everyReadModel(tenant);
        assertNoRawIdentifier(readModels);
        assertThat(readModels).doesNotContain("charged twice for the plumber visit", "still leaking", "within five days");
        assertThat(asTenant(tenant, "SELECT text FROM ai_messages WHERE conversation_id = ? AND sender = 'customer'", String.class,
                thread.conversation())).isEqualTo(Redaction.preview(MESSAGE)).hasSizeLessThanOrEqualTo(41);
        assertThat(asTenant(tenant, "SELECT text_hash FROM ai_messages WHERE conversation_id = ? AND sender = 'customer'", String.class,
                thread.conversation())).isEqualTo(Redaction.sha256(MESSAGE));
        assertThat(asTenant(tenant, "SELECT text_length FROM ai_messages WHERE conversation_id = ? AND sender = 'customer'", Integer.class,
                thread.conversation())).isEqualTo(MESSAGE.length());

        JsonNode detail = get("/api/ai/runs/" + thread.autopilotRun(), token(tenant, "aud", "auditor")).json();
        assertThat(detail.path("input").asText()).isEqualTo(Redaction.preview(MESSAGE));
        assertThat(detail.path("input_length").asInt()).isEqualTo(MESSAGE.length());
        assertThat(detail.path("input_hash").asText()).isEqualTo(Redaction.sha256(MESSAGE));
        JsonNode citation = detail.path("citations").get(0);
        assertThat(citation.path("text").asText()).isEqualTo(Redaction.preview(HELP));
        assertThat(citation.path("text_length").asInt()).isEqualTo(HELP.length());
        assertThat(detail.path("reply_length").asInt()).isPositive();
        assertThat(detail.path("reply").asText().length()).isLessThanOrEqualTo(41);
        assertThat(detail.path("reply_hash").asText()).hasSize(64);

        assertThat(get("/api/ai/conversations/" + thread.conversation(), token(tenant, "bo", "agent")).json()
                .path("messages").get(0).path("text").asText()).isEqualTo(MESSAGE);
        assertNoRawIdentifier(output.getAll());
    }

    @Test
    void theMaskingFindsTheIdentifiersAndLeavesIdsAndDatesAlone() {
        assertThat(Redaction.mask("write to " + EMAIL)).isEqualTo("write to ***************.com");
        assertThat(Redaction.mask("card " + CARD)).isEqualTo("card ***************1111");
        assertThat(Redaction.mask("not a card 4111 1111 1111 1112")).isEqualTo("not a card 4111 1111 1111 1112");
        assertThat(Redaction.mask("IBAN ES91 2100 0418 4502 0005 1332")).isEqualTo("IBAN "+"*".repeat(25)+"1332");
        assertThat(Redaction.mask("call " + PHONE)).isEqualTo("call *********** 678");
        String id = "058cb5a2-9c0f-4a84-abb8-a7b87c0a45ef";
        assertThat(Redaction.mask("contact " + id + " on 2026-12-01")).isEqualTo("contact " + id + " on 2026-12-01");
        assertThat(Redaction.preview("x".repeat(100))).hasSize(41).endsWith("…");
    }
}
