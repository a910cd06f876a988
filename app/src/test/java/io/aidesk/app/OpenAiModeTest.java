package io.aidesk.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.api.tenancy.RowSecurity;
import io.aidesk.gateway.embedding.EmbeddingModel;
import io.aidesk.gateway.embedding.EmbeddingModels;
import io.aidesk.gateway.embedding.OfflineEmbeddingModel;
import io.aidesk.gateway.openai.LoopbackOpenAi;
import io.aidesk.ingestion.index.KnowledgeIndex;
import io.aidesk.ingestion.index.TenantTransactions;
import io.aidesk.ingestion.parse.ParsedDocument;
import io.aidesk.ingestion.reembed.Reembedder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * AI Desk with an OpenAI key, against an OpenAI-protocol server on loopback: knowledge embedded by
 * text-embedding-3-small (1536 dimensions) and searched through the 1536-dimension index, a model change re-embedded
 * in the background, and copilot drafts decided by chat completions with strict structured output. Documents are
 * indexed directly: this context is closed afterwards, so its sync processors never take work from the main one.
 */
@DirtiesContext
class OpenAiModeTest extends ApiTest {
    private static final LoopbackOpenAi OPENAI = new LoopbackOpenAi();

    @Autowired
    EmbeddingModel model;
    @Autowired
    KnowledgeIndex index;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PlatformTransactionManager transactions;
    @Autowired
    EmbeddingModels models;
    @Autowired
    TenantTransactions tenantTransactions;
    @Autowired
    ObjectMapper json;
    @Autowired
    Reembedder reembedder;

    @DynamicPropertySource
    static void useOpenAi(DynamicPropertyRegistry properties) {
        properties.add("aidesk.openai.api-key", () -> LoopbackOpenAi.API_KEY);
        properties.add("aidesk.openai.base-url", OPENAI::baseUrl);
        // failures are scripted: no retries, and a slow answer is a timeout after three seconds (an answer on a busy
        // machine comes well within them)
        properties.add("aidesk.openai.timeout", () -> "3s");
        properties.add("aidesk.openai.max-retries", () -> "0");
    }

    @AfterAll
    static void stopServer() {
        OPENAI.close();
    }

    private static ParsedDocument page(String url, String title, String... paragraphs) {
        return new ParsedDocument(url, title, Arrays.stream(paragraphs)
                .map(text -> new ParsedDocument.Block(text, List.of(title), null)).toList());
    }

    @Test
    void knowledgeIsEmbeddedAndSearchedWithOpenAiVectors() {
        String tenant = newTenant();
        String sourceId = UUID.randomUUID().toString();
        int requestsBefore = OPENAI.requests().size();
        index.index(tenant, sourceId, page("https://acme.test/help/water-heaters", "Water heaters",
                "Replacing a 40 or 50 gallon water heater costs between $900 and $1,500."));
        index.index(tenant, sourceId, page("https://acme.test/help/hours", "Opening hours",
                "Our plumbers work Monday to Friday from 8am to 6pm and Saturdays until noon."));

        assertThat(model.name()).isEqualTo("openai:text-embedding-3-small@1536");
        List<Map<String, Object>> rows = chunks(tenant);
        assertThat(rows).hasSize(2).allSatisfy(row -> {
            assertThat(row.get("embedding_model")).isEqualTo("openai:text-embedding-3-small@1536");
            assertThat(row.get("embedding_dim")).isEqualTo(1536);
            assertThat(row.get("dims")).isEqualTo(1536);
        });

        Response answer = call("POST", "/api/ai/kb/query", token(tenant, "bo", "agent"),
                "{\"query\": \"when do plumbers work on saturdays\", \"top_k\": 1}", Map.of());

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        JsonNode top = answer.json().path("chunks").get(0);
        assertThat(top.path("content").asText()).contains("Saturdays until noon");
        assertThat(answer.json().path("citations").get(0).path("url").asText()).isEqualTo("https://acme.test/help/hours");
        assertThat(OPENAI.requests()).as("two documents and one query").hasSize(requestsBefore + 3);
        assertThat(OPENAI.requests().get(requestsBefore + 2).path("input").get(0).asText())
                .isEqualTo("when do plumbers work on saturdays");
    }

    @Test
    void aModelChangeReembedsInTheBackgroundWhileQueriesUseTheOldVectorsUntilTheSwitch() {
        String tenant = newTenant();
        String sourceId = UUID.randomUUID().toString();
        // indexed before the change, by the offline model
        KnowledgeIndex before = new KnowledgeIndex(jdbc, tenantTransactions,
                models.named(OfflineEmbeddingModel.NAME).orElseThrow(), json);
        before.index(tenant, sourceId, page("https://acme.test/help/water-heaters", "Water heaters",
                "Replacing a 40 or 50 gallon water heater costs between $900 and $1,500."));
        before.index(tenant, sourceId, page("https://acme.test/help/hours", "Opening hours",
                "Our plumbers work Monday to Friday from 8am to 6pm and Saturdays until noon."));
        List<String> ids = chunks(tenant).stream().map(row -> (String) row.get("id")).toList();
        assertThat(chunks(tenant)).hasSize(2).allSatisfy(row ->
                assertThat(row.get("embedding_model")).isEqualTo(OfflineEmbeddingModel.NAME));
        String agent = token(tenant, "bo", "agent");
        String question = "{\"query\": \"how much is a new water heater\", \"top_k\": 1}";
        int requestsBefore = OPENAI.requests().size();

        Response served = call("POST", "/api/ai/kb/query", agent, question, Map.of());

        assertThat(served.json().path("chunks").get(0).path("content").asText()).contains("$900 and $1,500");
        assertThat(OPENAI.requests()).as("the old vectors are searched with the old model").hasSize(requestsBefore);

        assertThat(reembedder.reembedAll()).contains(tenant);

        assertThat(chunks(tenant)).hasSize(2).allSatisfy(row -> {
            assertThat(row.get("embedding_model")).isEqualTo("openai:text-embedding-3-small@1536");
            assertThat(row.get("dims")).isEqualTo(1536);
            assertThat(row.get("next_model")).isNull();
        });
        assertThat(chunks(tenant).stream().map(row -> (String) row.get("id")).toList()).as("same chunks, new vectors")
                .isEqualTo(ids);
        Response switched = call("POST", "/api/ai/kb/query", agent, question, Map.of());
        assertThat(switched.json().path("chunks").get(0).path("content").asText()).contains("$900 and $1,500");
        assertThat(OPENAI.requests().get(OPENAI.requests().size() - 1).path("input").get(0).asText())
                .as("after the switch the query is embedded by the new model").isEqualTo("how much is a new water heater");
        assertThat(reembedder.reembedAll()).as("nothing left to move").doesNotContain(tenant);
    }

    private List<Map<String, Object>> chunks(String tenant) {
        return new TransactionTemplate(transactions).execute(status -> {
            jdbc.queryForObject(RowSecurity.SCOPE_SQL, String.class, tenant);
            return jdbc.queryForList("SELECT id, embedding_model, embedding_dim, vector_dims(embedding) AS dims, next_model "
                    + "FROM ai_kb_chunks ORDER BY id");
        });
    }

    private static final String CUSTOMER = "My heater leaks! Write to ana.lopez@example.com or call +1 608 555 0142. "
            + "Card 4111 1111 1111 1111 was charged twice.";

    /** A tenant with a little knowledge and a conversation where the customer wrote CUSTOMER. */
    private String[] tenantWithConversation() {
        String tenant = newTenant();
        String sourceId = UUID.randomUUID().toString();
        index.index(tenant, sourceId, page("https://acme.test/help/leaks", "Leaks",
                "A leaking water heater should be turned off at the cold water valve."));
        index.index(tenant, sourceId, page("https://acme.test/help/hours", "Opening hours",
                "Our plumbers work Monday to Friday from 8am to 6pm."));
        String service = token(tenant, "crm", "service");
        String conversation = call("POST", "/api/ai/conversations", service,
                "{\"channel\": \"email\", \"contact_id\": \"c-7\"}", Map.of()).json().path("id").asText();
        call("POST", "/api/ai/conversations/" + conversation + "/messages", service,
                "{\"sender\": \"customer\", \"text\": \"" + CUSTOMER + "\"}", Map.of());
        return new String[]{tenant, conversation};
    }

    private JsonNode draft(String tenant, String conversation) {
        Response answer = call("POST", "/api/ai/assist/draft-reply", token(tenant, "bo", "agent"),
                "{\"conversation_id\": \"" + conversation + "\", \"message\": \"" + CUSTOMER + "\"}", Map.of());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json();
    }

    private List<Map<String, Object>> runEvents(String runId) {
        return jdbc.queryForList("SELECT payload_type, convert_from(payload, 'UTF8') AS payload FROM domain_event_entry "
                + "WHERE aggregate_identifier = ? ORDER BY sequence_number", runId);
    }

    private static List<String> types(List<Map<String, Object>> events) {
        return events.stream().map(e -> (String) e.get("payload_type")).map(t -> t.substring(t.lastIndexOf('$') + 1)).toList();
    }

    @Test
    void theCopilotDecidesWithOpenAiDropsAnInventedCitationAndRestoresPersonalData() {
        String[] setup = tenantWithConversation();
        AtomicReference<String> cited = new AtomicReference<>();
        OPENAI.script(request -> {
            cited.set(LoopbackOpenAi.offeredChunkIds(request).get(0));
            return LoopbackOpenAi.Scripted.answer("""
                    {"needs": [{"need": "question", "probability": 0.95}], "intent": "support",
                     "action_confidence": 0.95, "answer_confidence": 0.9, "needs_human": false, "missing_fields": [],
                     "reply": "Please turn off the cold water valve. We will write to [EMAIL_1].",
                     "actions": [], "citations": ["%s", "chunk-that-was-never-retrieved"]}
                    """.formatted(cited.get()));
        });
        int before = OPENAI.chatRequests().size();

        JsonNode draft = draft(setup[0], setup[1]);

        JsonNode sent = OPENAI.chatRequests().get(before);
        assertThat(sent.path("response_format").path("json_schema").path("strict").asBoolean()).isTrue();
        assertThat(sent.toString()).doesNotContain("ana.lopez@example.com", "608 555 0142", "4111 1111 1111 1111");
        assertThat(OPENAI.requests().toString()).as("nor does the query embedded for retrieval")
                .contains("[EMAIL_1]").doesNotContain("ana.lopez@example.com", "608 555 0142", "4111 1111 1111 1111");
        assertThat(draft.path("reply").asText()).isEqualTo("Please turn off the cold water valve. We will write to "
                + "ana.lopez@example.com.");
        assertThat(draft.path("citations").findValuesAsText("chunk_id")).as("the retrieved citation stays")
                .containsExactly(cited.get());
        assertThat(draft.path("confidence").asDouble()).as("one of two citations was invented").isEqualTo(0.45);
        assertThat(draft.path("needs_human").asBoolean()).isTrue();
        List<Map<String, Object>> events = runEvents(draft.path("run_id").asText());
        assertThat(types(events)).containsExactly("RunStarted", "ContextRetrieved", "DecisionRecorded",
                "CitationsDropped", "ReplyDrafted", "RunCompleted");
        assertThat(events.get(3).get("payload").toString()).contains("chunk-that-was-never-retrieved");
    }

    @Test
    void everyModelFailureEndsTheRunFailedWithItsKindAndAnswersAProblem() {
        Map<String, LoopbackOpenAi.Scripted> failures = Map.of(
                "invalid_output", LoopbackOpenAi.Scripted.answer("{\"intent\": \"support\", \"confidence\""),
                "server_error", LoopbackOpenAi.Scripted.error(500, "boom"),
                "rate_limited", LoopbackOpenAi.Scripted.error(429, "slow down"),
                "timeout", LoopbackOpenAi.Scripted.slow(6000));
        Map<String, Integer> statuses = Map.of("invalid_output", 502, "server_error", 502, "rate_limited", 503,
                "timeout", 504);
        String[] setup = tenantWithConversation();
        failures.forEach((kind, scripted) -> {
            OPENAI.script(request -> scripted);

            Response answer = call("POST", "/api/ai/assist/draft-reply", token(setup[0], "bo", "agent"),
                    "{\"conversation_id\": \"" + setup[1] + "\", \"message\": \"" + CUSTOMER + "\"}", Map.of());

            String runId = failedDraft(setup[0], answer, kind, statuses.get(kind));
            List<Map<String, Object>> events = runEvents(runId);
            assertThat(types(events)).as(kind).containsExactly("RunStarted", "ContextRetrieved", "DecisionFailed",
                    "ReplyDrafted", "RunFailed");
            assertThat(events.get(2).get("payload").toString()).as(kind).contains("\"kind\":\"" + kind + "\"");
            assertThat(types(events)).as("no tool, ever").noneMatch(type -> type.startsWith("ToolCall"));
        });
    }

    /** Before: the embedding of the message failed, the answer was a 500 and the run stayed running for good. */
    @Test
    void aDraftWhoseKnowledgeCannotBeSearchedEndsItsRunFailed() {
        String[] setup = tenantWithConversation();
        OPENAI.failNext(1);

        Response answer = call("POST", "/api/ai/assist/draft-reply", token(setup[0], "bo", "agent"),
                "{\"conversation_id\": \"" + setup[1] + "\", \"message\": \"" + CUSTOMER + "\"}", Map.of());

        String runId = failedDraft(setup[0], answer, "retrieval_failed", 503);
        assertThat(types(runEvents(runId))).containsExactly("RunStarted", "RunFailed");
        assertThat(answer.body()).as("the provider's words stay in the run").doesNotContain("server had an error");
    }

    /** The answer is a problem naming the kind and the run; the run reads failed with that kind. */
    private String failedDraft(String tenant, Response answer, String kind, int status) {
        assertThat(answer.status()).as(kind + ": " + answer).isEqualTo(status);
        assertThat(answer.contentType()).as(kind).startsWith("application/problem+json");
        assertThat(answer.json().path("kind").asText()).as(kind).isEqualTo(kind);
        String runId = answer.json().path("run_id").asText();
        assertThat(answer.headers().firstValue("Location")).as(kind).hasValue("/api/ai/agent/runs/" + runId);
        JsonNode run = get("/api/ai/agent/runs/" + runId, token(tenant, "bo", "agent")).json();
        assertThat(run.path("status").asText()).as(kind + ": " + run).isEqualTo("failed");
        assertThat(run.path("failure_kind").asText()).as(kind).isEqualTo(kind);
        assertThat(run.path("mode").asText()).isEqualTo("copilot");
        return runId;
    }
}
