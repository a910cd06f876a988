package io.aidesk.app;

import io.aidesk.api.tenancy.RowSecurity;
import io.aidesk.ingestion.index.KnowledgeIndex;
import io.aidesk.ingestion.parse.ParsedDocument;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A customer's message starts the autopilot by itself while the CRM's handle-message call for the same message is
 * still committing its run: one run, handle-message gets it, and the trigger takes it as done without an error in the
 * log or a retried processor. The interleaving is made certain with real locks: a rebuild of the tenant's read models
 * holds handle-message's commit while the trigger comes in.
 */
@ExtendWith(OutputCaptureExtension.class)
class AutopilotTriggerRaceTest extends ApiTest {
    private static final String TRIGGER = "autopilot-trigger";

    @Autowired
    KnowledgeIndex index;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DataSource dataSource;
    @Autowired
    Configuration axon;

    private List<String> runsStartedFor(String messageId) {
        return jdbc.queryForList("SELECT aggregate_identifier FROM domain_event_entry WHERE payload_type LIKE "
                + "'%RunStarted' AND convert_from(payload, 'UTF8')::jsonb ->> 'messageId' = ?", String.class, messageId);
    }

    /** Statements of this database waiting for a lock. */
    private int waiting() {
        return jdbc.queryForObject("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                + "WHERE NOT l.granted AND a.datname = current_database()", Integer.class);
    }

    /** Whether a thread of the trigger's processor is inside its handler. */
    private boolean triggerIsHandlingTheMessage() {
        return Thread.getAllStackTraces().entrySet().stream()
                .anyMatch(thread -> thread.getKey().getName().contains(TRIGGER) && Arrays.stream(thread.getValue())
                        .anyMatch(frame -> frame.getClassName().endsWith(".AutopilotTrigger")));
    }

    private EventProcessor trigger() {
        return axon.eventProcessingConfiguration().eventProcessor(TRIGGER).orElseThrow();
    }

    @Test
    void theTriggerFindsTheRunHandleMessageIsCommittingAndLogsNoError(CapturedOutput output) throws Exception {
        String tenant = newTenant();
        String service = token(tenant, "crm", "service");
        index.index(tenant, UUID.randomUUID().toString(), new ParsedDocument("https://acme.test/help/hours",
                "Opening hours", List.of(new ParsedDocument.Block("Our plumbers work Monday to Friday from 8am to 6pm.",
                List.of("Opening hours"), null))));
        assertThat(put("/api/ai/settings", token(tenant, "ana", "admin"), """
                {"autopilot_enabled": true, "allowed_tools": []}
                """).status()).isEqualTo(200);
        String conversation = call("POST", "/api/ai/conversations", service,
                "{\"channel\": \"web\", \"contact_id\": \"c-1\"}", Map.of()).json().path("id").asText();
        int logStart = output.getAll().length();

        String message;
        CompletableFuture<Response> handled;
        trigger().shutDown();
        try (Connection rebuild = dataSource.getConnection()) {
            message = call("POST", "/api/ai/conversations/" + conversation + "/messages", service,
                    "{\"sender\": \"customer\", \"text\": \"When do your plumbers work?\"}", Map.of())
                    .json().path("id").asText();
            rebuild.setAutoCommit(false);
            try (PreparedStatement lock = rebuild.prepareStatement(RowSecurity.REBUILD_LOCK_SQL)) {
                lock.setString(1, tenant);
                lock.execute();
            }
            int before = waiting();
            // handle-message stores its run, and its read model waits for the rebuild
            handled = CompletableFuture.supplyAsync(() -> call("POST", "/api/ai/agent/handle-message", service,
                    "{\"conversation_id\": \"" + conversation + "\", \"message_id\": \"" + message + "\"}", Map.of()));
            await().atMost(Duration.ofSeconds(20)).until(() -> waiting() > before);
            // the trigger comes in while that run is not yet committed, and waits (for a lock of Axon's or of ours)
            trigger().start();
            await().atMost(Duration.ofSeconds(20)).until(this::triggerIsHandlingTheMessage);
            await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
            rebuild.rollback();
        } finally {
            if (!trigger().isRunning()) {
                trigger().start();
            }
        }

        Response answer = handled.join();
        assertThat(answer.status()).as(answer.toString()).isIn(200, 202);
        assertThat(runsStartedFor(message)).as("one run for the message")
                .containsExactly(answer.json().path("run_id").asText());
        // a trigger that lost the race failed its processor's commit right away, and retried a second later
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(runsStartedFor(message)).hasSize(1);
        String log = output.getAll().substring(logStart);
        assertThat(log.lines().filter(line -> line.contains(" ERROR ")).toList()).as("no ERROR logged").isEmpty();
        assertThat(log).doesNotContain("AggregateStreamCreationException", "duplicate key", "retry");
    }
}
