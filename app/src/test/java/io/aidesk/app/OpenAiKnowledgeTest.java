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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With an API key, knowledge is embedded by OpenAI's text-embedding-3-small (1536 dimensions) and searched through
 * the 1536-dimension index, here against an OpenAI-protocol server on loopback. Documents are indexed directly:
 * this context is closed afterwards, so its sync processors never take work from the main test context.
 */
@DirtiesContext
class OpenAiKnowledgeTest extends ApiTest {
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
}
