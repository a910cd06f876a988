package io.aidesk.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.aidesk.api.agentrun.RunEvents.ContextRetrieved;
import io.aidesk.api.agentrun.RunEvents.DecisionRecorded;
import io.aidesk.api.agentrun.RunEvents.HandedOffToHuman;
import io.aidesk.api.agentrun.RunEvents.ReplyDrafted;
import io.aidesk.api.agentrun.RunEvents.ReplySent;
import io.aidesk.api.agentrun.RunEvents.RunStarted;
import io.aidesk.api.agentrun.RunEvents.ToolCallExecuted;
import io.aidesk.api.agentrun.RunEvents.ToolCallRequested;
import io.aidesk.api.conversation.ConversationEvents.ConversationHandedOver;
import io.aidesk.api.conversation.ConversationEvents.ConversationStarted;
import io.aidesk.api.conversation.ConversationEvents.MessagePosted;
import io.aidesk.api.privacy.PersonalData;
import io.aidesk.api.tenancy.MetadataKeys;
import io.aidesk.ingestion.index.KnowledgeIndex;
import io.aidesk.ingestion.parse.ParsedDocument;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Erasure by crypto-shredding, through HTTP: a contact's words are stored sealed, read back in plaintext through
 * Axon until the contact is erased and as [erased] afterwards, while the rest of every event stays as it was; the
 * built-in CRM is scrubbed; another tenant cannot erase anything of this one; bad requests change nothing.
 */
class ErasureTest extends ApiTest {
    private static final String ERASE = "/api/ai/privacy/erase";
    private static final String STREET = "7 Quillfeather Lane";
    private static final String EMAIL = "zebulon.quill@example.com";
    private static final String PHONE = "+1 555 0199 321";
    private static final String LEAK = "My water heater is leaking into the basement at " + STREET
            + ". How soon can a plumber repair it? Write to " + EMAIL + " or call " + PHONE + ".";
    private static final String PERSON = "Please let me talk to a person about the leak at " + STREET + ".";
    private static final String DRAFT = "Is the water heater at " + STREET + " still leaking? Call " + PHONE;
    private static final List<String> DISTINCTIVE = List.of("Quillfeather", "zebulon.quill", "555 0199");

    @Autowired
    KnowledgeIndex index;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    EventStore eventStore;
    @Autowired
    PlatformTransactionManager transactions;

    private String tenant;
    private String admin;
    private String service;
    private String contactId;

    @BeforeEach
    void tenantWithAContactAndItsAutopilot() {
        tenant = newTenant();
        admin = token(tenant, "ana", "admin");
        service = token(tenant, "crm", "service");
        index.index(tenant, UUID.randomUUID().toString(), new ParsedDocument("https://acme.test/help/leaks",
                "Leaks", List.of(new ParsedDocument.Block("A leaking water heater is repaired by a plumber within 24 "
                + "hours; turn off the cold water valve above the tank until then.", List.of("Leaks"), null))));
        Response contact = call("POST", "/api/crm/contacts", service, """
                {"name": "Zebulon Quillfeather", "email": "%s", "phone": "%s", "plan": "pro",
                 "fields": {"policy_number": "QF-99812"}}""".formatted(EMAIL, PHONE), Map.of());
        assertThat(contact.status()).as(contact.toString()).isEqualTo(201);
        contactId = contact.json().path("id").asText();
        assertThat(put("/api/ai/settings", admin, """
                {"autopilot_enabled": true, "confidence_threshold": 0, "escalation_rules": [],
                 "allowed_tools": ["create_ticket"]}
                """).status()).isEqualTo(200);
    }

    private String conversation(String contact, String subject) {
        Response started = call("POST", "/api/ai/conversations", service, "{\"channel\": \"web\", \"contact_id\": \""
                + contact + "\"" + (subject == null ? "" : ", \"subject\": \"" + subject + "\"") + "}", Map.of());
        assertThat(started.status()).as(started.toString()).isEqualTo(201);
        return started.json().path("id").asText();
    }

    private String post(String conversation, String sender, String text) {
        Response posted = call("POST", "/api/ai/conversations/" + conversation + "/messages", service,
                "{\"sender\": \"" + sender + "\", \"text\": \"" + text + "\"}", Map.of());
        assertThat(posted.status()).as(posted.toString()).isEqualTo(201);
        return posted.json().path("id").asText();
    }

    private JsonNode handled(String conversation, String message) {
        return settledRun(service, conversation, message);
    }

    private List<Object> stream(String aggregateId) {
        return eventStore.readEvents(aggregateId).asStream().map(event -> (Object) event.getPayload()).toList();
    }

    @SuppressWarnings("unchecked")
    private <T> List<T> of(List<Object> events, Class<T> type) {
        return events.stream().filter(type::isInstance).map(event -> (T) event).toList();
    }

    private <T> T one(List<Object> events, Class<T> type) {
        List<T> found = of(events, type);
        assertThat(found).as(type.getSimpleName()).hasSize(1);
        return found.get(0);
    }

    /** The tenant's events as stored, by event id. */
    private Map<String, String> stored(String ofTenant) {
        Map<String, String> payloads = new java.util.TreeMap<>();
        jdbc.query("""
                SELECT event_identifier, convert_from(payload, 'UTF8') AS payload FROM domain_event_entry
                WHERE convert_from(meta_data, 'UTF8')::jsonb ->> 'tenant_id' = ? AND payload_type NOT LIKE '%ContactErased'
                """, rs -> {
            payloads.put(rs.getString("event_identifier"), rs.getString("payload"));
        }, ofTenant);
        return payloads;
    }

    private Response erase(String token, String body) {
        return call("POST", ERASE, token, body, Map.of());
    }

    private JsonNode crmContact() {
        return get("/api/crm/contacts/" + contactId, admin).json();
    }

    @Test
    void theContactsWordsAreStoredSealedReadBackUntilErasedAndThenReadAsErasedWhileTheRunsFactsRemain() {
        String conversation = conversation(contactId, "Basement flood at " + STREET);
        String leak = post(conversation, "customer", LEAK);
        JsonNode ticketRun = handled(conversation, leak);
        assertThat(ticketRun.path("status").asText()).as(ticketRun.toString()).isEqualTo("completed");
        assertThat(ticketRun.path("actions").get(0).path("status").asText()).isEqualTo("executed");
        String person = post(conversation, "customer", PERSON);
        JsonNode handedOver = handled(conversation, person);
        assertThat(handedOver.path("status").asText()).as(handedOver.toString()).isEqualTo("escalated");
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/crm/notes?conversation_id=" + conversation, admin)
                .json().path("items").size() == 1);
        Response draft = call("POST", "/api/ai/assist/draft-reply", token(tenant, "bo", "agent"),
                "{\"conversation_id\": \"" + conversation + "\", \"message\": \"" + DRAFT + "\"}", Map.of());
        assertThat(draft.status()).as(draft.toString()).isEqualTo(200);
        String ticketRunId = ticketRun.path("run_id").asText();
        String handoffRunId = handedOver.path("run_id").asText();
        String copilotRunId = draft.json().path("run_id").asText();

        // as stored: not one of the contact's words, only sealed values
        Map<String, String> storedBefore = stored(tenant);
        assertThat(storedBefore).hasSizeGreaterThan(20);
        storedBefore.values().forEach(payload -> assertThat(payload).doesNotContain(DISTINCTIVE));
        assertThat(String.join("\n", storedBefore.values())).contains("\"input\":\"aidesk-sealed:v1:",
                "\"text\":\"aidesk-sealed:v1:", "\"subject\":\"aidesk-sealed:v1:", "\"args\":\"aidesk-sealed:v1:",
                "\"intent\":\"support\"", "\"tool\":\"create_ticket\"");

        // read through Axon: the plaintext
        List<Object> thread = stream(conversation);
        assertThat(one(thread, ConversationStarted.class).subject()).isEqualTo("Basement flood at " + STREET);
        assertThat(of(thread, MessagePosted.class).stream().map(MessagePosted::text)).contains(LEAK, PERSON);
        List<Object> ticketEvents = stream(ticketRunId);
        assertThat(one(ticketEvents, RunStarted.class).input()).isEqualTo(LEAK);
        assertThat(one(ticketEvents, ToolCallRequested.class).args().get("summary")).isEqualTo(LEAK);
        assertThat(one(stream(copilotRunId), ContextRetrieved.class).query()).isEqualTo(DRAFT);
        JsonNode audited = get("/api/ai/runs/" + ticketRunId + "/events", token(tenant, "au", "auditor")).json();
        assertThat(audited.path("items").get(0).path("payload").path("input").asText()).isEqualTo(LEAK);
        DecisionRecorded decided = one(ticketEvents, DecisionRecorded.class);

        // tenant B erasing A's contact id erases nothing of A's
        String other = newTenant();
        Response foreign = erase(token(other, "eve", "admin"), "{\"contact_id\": \"" + contactId + "\"}");
        assertThat(foreign.status()).as(foreign.toString()).isEqualTo(200);
        assertThat(one(stream(ticketRunId), RunStarted.class).input()).isEqualTo(LEAK);
        assertThat(crmContact().path("email").asText()).isEqualTo(EMAIL);
        assertThat(get("/api/crm/tickets?contact_id=" + contactId, admin).json().path("items").get(0).path("summary")
                .asText()).isEqualTo(LEAK);

        Response erased = erase(admin, "{\"contact_id\": \"" + contactId + "\"}");

        assertThat(erased.status()).as(erased.toString()).isEqualTo(200);
        assertThat(erased.json().path("contact_id").asText()).isEqualTo(contactId);
        assertThat(erased.json().path("erased_by").asText()).isEqualTo("ana");
        assertThat(Instant.parse(erased.json().path("erased_at").asText())).isBeforeOrEqualTo(Instant.now());
        assertThat(stored(tenant)).as("no event was edited").isEqualTo(storedBefore);

        List<Object> threadAfter = stream(conversation);
        assertThat(one(threadAfter, ConversationStarted.class).subject()).isEqualTo(PersonalData.ERASED);
        assertThat(one(threadAfter, ConversationStarted.class).contactId()).isEqualTo(contactId);
        assertThat(of(threadAfter, MessagePosted.class)).hasSize(of(thread, MessagePosted.class).size())
                .allSatisfy(message -> assertThat(message.text()).isEqualTo(PersonalData.ERASED));
        assertThat(of(threadAfter, MessagePosted.class).get(0).sender()).isEqualTo("customer");
        assertThat(one(threadAfter, ConversationHandedOver.class).summary()).isEqualTo(PersonalData.ERASED);
        assertThat(one(threadAfter, ConversationHandedOver.class).reason()).isEqualTo("customer_request");

        List<Object> ticketAfter = stream(ticketRunId);
        RunStarted started = one(ticketAfter, RunStarted.class);
        assertThat(started.input()).isEqualTo(PersonalData.ERASED);
        assertThat(started.messageId()).isEqualTo(leak);
        assertThat(started.inputHash()).isEqualTo(one(ticketEvents, RunStarted.class).inputHash());
        DecisionRecorded decidedAfter = one(ticketAfter, DecisionRecorded.class);
        assertThat(decidedAfter.decision().intent()).isEqualTo(decided.decision().intent());
        assertThat(decidedAfter.decision().confidence()).isEqualTo(decided.decision().confidence());
        assertThat(decidedAfter.decision().citations()).isEqualTo(decided.decision().citations()).isNotEmpty();
        assertThat(decidedAfter.decision().reply()).isEqualTo(PersonalData.ERASED);
        assertThat(decidedAfter.decision().actions().get(0).tool()).isEqualTo("create_ticket");
        assertThat(decidedAfter.decision().actions().get(0).args()).isEqualTo(Map.of("erased", PersonalData.ERASED));
        assertThat(decidedAfter.rawOutput()).isEqualTo(PersonalData.ERASED);
        assertThat(decidedAfter.usage()).isEqualTo(decided.usage());
        ToolCallRequested requested = one(ticketAfter, ToolCallRequested.class);
        assertThat(requested.tool()).isEqualTo("create_ticket");
        assertThat(requested.disposition()).isEqualTo("execute");
        assertThat(requested.args()).isEqualTo(Map.of("erased", PersonalData.ERASED));
        assertThat(one(ticketAfter, ToolCallExecuted.class).result()).isEqualTo(Map.of("erased", PersonalData.ERASED));
        assertThat(one(ticketAfter, ReplySent.class).reply()).isEqualTo(PersonalData.ERASED);
        assertThat(one(ticketAfter, ReplyDrafted.class).confidence()).isEqualTo(one(ticketEvents, ReplyDrafted.class)
                .confidence());
        HandedOffToHuman handoff = one(stream(handoffRunId), HandedOffToHuman.class);
        assertThat(handoff.summary()).isEqualTo(PersonalData.ERASED);
        assertThat(handoff.reason()).isEqualTo("customer_request");
        assertThat(one(stream(copilotRunId), ContextRetrieved.class).query()).isEqualTo(PersonalData.ERASED);
        assertThat(one(stream(copilotRunId), ContextRetrieved.class).chunks()).isNotEmpty();
        JsonNode auditedAfter = get("/api/ai/runs/" + ticketRunId + "/events", token(tenant, "au", "auditor")).json();
        assertThat(auditedAfter.path("items").size()).isEqualTo(audited.path("items").size());
        assertThat(auditedAfter.path("items").get(0).path("payload").path("input").asText()).isEqualTo(PersonalData.ERASED);

        // the built-in CRM: the contact, their tickets and the notes on their conversations are scrubbed
        JsonNode scrubbed = crmContact();
        assertThat(scrubbed.path("name").asText()).isEqualTo(PersonalData.ERASED);
        assertThat(scrubbed.path("email").isNull()).isTrue();
        assertThat(scrubbed.path("phone").isNull()).isTrue();
        assertThat(scrubbed.path("fields").size()).isZero();
        assertThat(scrubbed.path("subscription").path("plan").asText()).as("the account itself stays").isEqualTo("pro");
        JsonNode ticket = get("/api/crm/tickets?contact_id=" + contactId, admin).json().path("items").get(0);
        assertThat(ticket.path("subject").asText()).isEqualTo(PersonalData.ERASED);
        assertThat(ticket.path("summary").asText()).isEqualTo(PersonalData.ERASED);
        assertThat(ticket.path("priority").asText()).isNotBlank();
        assertThat(get("/api/crm/notes?conversation_id=" + conversation, admin).json().path("items").get(0)
                .path("note").asText()).isEqualTo(PersonalData.ERASED);

        // the erasures are events of their own tenants, with who asked
        List<Map<String, Object>> erasures = jdbc.queryForList("""
                SELECT convert_from(payload, 'UTF8')::jsonb ->> 'tenantId' AS tenant,
                       convert_from(payload, 'UTF8')::jsonb ->> 'by' AS by,
                       convert_from(meta_data, 'UTF8')::jsonb ->> 'tenant_id' AS meta_tenant
                FROM domain_event_entry WHERE payload_type LIKE '%ContactErased'
                AND convert_from(payload, 'UTF8')::jsonb ->> 'contactId' = ? ORDER BY global_index
                """, contactId);
        assertThat(erasures).containsExactly(Map.of("tenant", other, "by", "eve", "meta_tenant", other),
                Map.of("tenant", tenant, "by", "ana", "meta_tenant", tenant));
    }

    /** Every row of the tenant's read models and built-in CRM tables, as JSON text. */
    private String everyTable() {
        return new TenantRows(jdbc, transactions).text(tenant, List.of("ai_conversations", "ai_messages", "ai_runs",
                "ai_actions_log", "ai_run_citations", "crm_contacts", "crm_tickets", "crm_notes"));
    }

    @Test
    void afterAnErasureNoPlaintextIsReadableAnywhereARebuildKeepsItSoAndTheAuditStillVerifies() {
        assertThat(put("/api/ai/settings", admin, "{\"log_content\": \"full\"}").status()).isEqualTo(200);
        String conversation = conversation(contactId, "Basement flood at " + STREET);
        String leak = post(conversation, "customer", LEAK);
        String runId = handled(conversation, leak).path("run_id").asText();
        assertThat(call("POST", "/api/ai/assist/draft-reply", token(tenant, "bo", "agent"), "{\"conversation_id\": \""
                + conversation + "\", \"message\": \"" + DRAFT + "\"}", Map.of()).status()).isEqualTo(200);
        String auditor = token(tenant, "au", "auditor");
        assertThat(everyTable()).as("kept in full before the erasure").contains(STREET, EMAIL);

        assertThat(erase(admin, "{\"contact_id\": \"" + contactId + "\"}").status()).isEqualTo(200);

        List<String> readable = List.of(
                everyTable(),
                get("/api/ai/conversations/" + conversation, service).body(),
                get("/api/ai/runs?conversation_id=" + conversation, auditor).body(),
                get("/api/ai/runs/" + runId, auditor).body(),
                get("/api/ai/runs/" + runId + "/events", auditor).body(),
                get("/api/ai/agent/runs/" + runId, service).body(),
                get("/api/ai/audit/export?from=2026-01-01&to=2099-01-01", auditor).body());
        readable.forEach(text -> DISTINCTIVE.forEach(word -> assertThat(text).doesNotContain(word)));
        assertThat(get("/api/ai/conversations/" + conversation, service).json().path("messages").get(0).path("text")
                .asText()).isEqualTo(PersonalData.ERASED);
        assertThat(get("/api/ai/runs/" + runId, auditor).json().path("input").asText()).isEqualTo(PersonalData.ERASED);

        List<String> readModels = List.of("ai_run_citations", "ai_actions_log", "ai_runs", "ai_messages",
                "ai_conversations", "ai_kb_sources", "ai_assistant_settings");
        Map<String, List<String>> scrubbed = new TenantRows(jdbc, transactions).of(tenant, readModels);
        Response rebuilt = call("POST", "/api/ai/admin/replay", admin, null, Map.of());
        assertThat(rebuilt.status()).as(rebuilt.toString()).isEqualTo(200);
        Map<String, List<String>> replayed = new TenantRows(jdbc, transactions).of(tenant, readModels);
        readModels.forEach(table -> assertThat(replayed.get(table)).as("the scrub leaves " + table
                + " as a rebuild makes it").containsExactlyElementsOf(scrubbed.get(table)));
        String afterRebuild = everyTable();
        DISTINCTIVE.forEach(word -> assertThat(afterRebuild).doesNotContain(word));
        assertThat(get("/api/ai/runs/" + runId, auditor).json().path("input").asText()).isEqualTo(PersonalData.ERASED);
        assertThat(get("/api/ai/runs/" + runId, auditor).json().path("intent").asText()).isEqualTo("support");

        Integer stored = jdbc.queryForObject("SELECT count(*) FROM domain_event_entry "
                + "WHERE convert_from(meta_data, 'UTF8')::jsonb ->> 'tenant_id' = ?", Integer.class, tenant);
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/api/ai/audit/verify", auditor).json()
                .path("events").asInt() == stored);
        JsonNode verify = get("/api/ai/audit/verify", auditor).json();
        assertThat(verify.path("ok").asBoolean()).as(verify.toString()).isTrue();
    }

    @Test
    void whatOnlyLooksSealedIsKeptAsWrittenAndBreaksNothing() {
        String conversation = conversation(contactId, null);
        String words = "aidesk-sealed:v1:" + UUID.randomUUID() + ":s:AAAA my water heater is leaking";
        Response posted = call("POST", "/api/ai/conversations/" + conversation + "/messages", service,
                "{\"sender\": \"customer\", \"text\": \"" + words + "\"}",
                Map.of("X-Correlation-Id", "aidesk-sealed:x"));
        assertThat(posted.status()).as(posted.toString()).isEqualTo(201);

        JsonNode run = handled(conversation, posted.json().path("id").asText());

        assertThat(run.path("status").asText()).isIn("completed", "escalated");
        assertThat(get("/api/ai/conversations/" + conversation, service).json().path("messages").get(0).path("text")
                .asText()).isEqualTo(words);
        Response events = get("/api/ai/runs/" + run.path("run_id").asText() + "/events", token(tenant, "au", "auditor"));
        assertThat(events.status()).as(events.toString()).isEqualTo(200);
        assertThat(events.json().path("items").get(0).path("payload").path("input").asText()).isEqualTo(words);
    }

    @Test
    void whatIsSaidAfterAnErasureIsSealedUnderANewKeyThatASecondErasureDestroys() {
        assertThat(put("/api/ai/settings", admin, "{\"autopilot_enabled\": false}").status()).isEqualTo(200);
        String conversation = conversation(contactId, null);
        post(conversation, "customer", LEAK);
        assertThat(erase(admin, "{\"contact_id\": \"" + contactId + "\"}").status()).isEqualTo(200);
        post(conversation, "customer", "Still " + PHONE);

        assertThat(of(stream(conversation), MessagePosted.class).stream().map(MessagePosted::text))
                .containsExactly(PersonalData.ERASED, "Still " + PHONE);

        Response again = erase(admin, "{\"contact_id\": \" " + contactId + " \"}");
        assertThat(again.status()).as("a second erasure is no conflict").isEqualTo(200);
        assertThat(again.json().path("contact_id").asText()).isEqualTo(contactId);
        assertThat(of(stream(conversation), MessagePosted.class).stream().map(MessagePosted::text))
                .containsExactly(PersonalData.ERASED, PersonalData.ERASED);
        stored(tenant).values().forEach(payload -> assertThat(payload).doesNotContain(DISTINCTIVE));
    }

    @Test
    void aHostCrmsContactIdWorksAndAKeyMadeForAnEventThatRollsBackIsGoneWithIt() {
        String hostContact = "crm:contact/00042";
        String conversation = conversation(hostContact, "About " + STREET);
        assertThat(erase(admin, "{\"contact_id\": \"" + hostContact + "\"}").status()).isEqualTo(200);
        assertThat(one(stream(conversation), ConversationStarted.class).subject()).isEqualTo(PersonalData.ERASED);

        String rolledBack = UUID.randomUUID().toString();
        String neverSaved = "c-" + UUID.randomUUID();
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        transaction.executeWithoutResult(status -> {
            eventStore.publish(new GenericDomainEventMessage<>("Conversation", rolledBack, 0,
                    new ConversationStarted(rolledBack, tenant, "web", neverSaved, "Hello " + STREET, "crm"),
                    MetaData.with(MetadataKeys.TENANT_ID, tenant)));
            assertThat(keysOf(neverSaved)).as("made in this transaction").isEqualTo(1);
            status.setRollbackOnly();
        });

        assertThat(keysOf(neverSaved)).isZero();
        assertThat(jdbc.queryForObject("SELECT aidesk_privacy_contact(?, ?)", String.class, tenant, rolledBack)).isNull();
        assertThat(stream(rolledBack)).isEmpty();
    }

    /** Counted under the tenant's row-level security, as the application role sees it. */
    private int keysOf(String contact) {
        return new TenantRows(jdbc, transactions).as(tenant, () -> jdbc.queryForObject(
                "SELECT count(*) FROM privacy_keys WHERE contact_id = ? AND secret IS NOT NULL", Integer.class, contact));
    }

    @Test
    void badRequestsAndOtherRolesArePreciseProblemsAndEraseNothing() {
        String conversation = conversation(contactId, "Basement flood at " + STREET);
        Map<String, String> bad = Map.of(
                "{\"contact_id\": ", "",
                "{\"contact_id\": 42}", "contact_id",
                "{\"contact_id\": \"c-1\\u0000\"}", "contact_id",
                "{\"contact_id\": [\"" + contactId + "\"]}", "contact_id",
                "{\"contact_id\": \"" + contactId + "\", \"reason\": \"asked\"}", "reason",
                "{}", "contact_id",
                "{\"contact_id\": \"   \"}", "contact_id",
                "{\"contact_id\": \"" + "c".repeat(129) + "\"}", "contact_id",
                "[\"" + contactId + "\"]", "");
        bad.forEach((body, field) -> {
            Response refused = erase(admin, body);
            assertThat(refused.status()).as(body).isEqualTo(400);
            assertThat(refused.contentType()).as(body).startsWith("application/problem+json");
            if (!field.isEmpty()) {
                assertThat(refused.json().path("field").asText()).as(body).isEqualTo(field);
            }
        });
        Response named = erase(admin, "{\"contact_id\": \"" + contactId + "\", \"tenant_id\": \"" + tenant + "\"}");
        assertThat(named.status()).isEqualTo(400);
        assertThat(named.json().path("title").asText()).isEqualTo("Tenant is taken from the token");
        assertThat(call("POST", ERASE, admin, null, Map.of()).status()).as("no body").isIn(400, 415);
        for (String role : List.of("agent", "service", "auditor")) {
            Response forbidden = erase(token(tenant, "u", role), "{\"contact_id\": \"" + contactId + "\"}");
            assertThat(forbidden.status()).as(role).isEqualTo(403);
            assertThat(forbidden.contentType()).startsWith("application/problem+json");
        }
        assertThat(erase(null, "{\"contact_id\": \"" + contactId + "\"}").status()).isEqualTo(401);

        assertThat(one(stream(conversation), ConversationStarted.class).subject()).isEqualTo("Basement flood at " + STREET);
        assertThat(crmContact().path("name").asText()).isEqualTo("Zebulon Quillfeather");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE payload_type LIKE '%ContactErased' "
                + "AND convert_from(payload, 'UTF8')::jsonb ->> 'tenantId' = ?", Integer.class, tenant)).isZero();
    }
}
