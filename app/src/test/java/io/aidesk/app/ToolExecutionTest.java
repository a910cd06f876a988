package io.aidesk.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.api.tools.ToolNames;
import io.aidesk.command.crm.CrmStore;
import io.aidesk.command.tools.InvalidToolCallException;
import io.aidesk.command.tools.ToolCall;
import io.aidesk.command.tools.ToolExecutor;
import io.aidesk.command.tools.ToolRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tools run against the built-in CRM: arguments checked by schema and by tenant, every call at most once. */
class ToolExecutionTest extends ApiTest {
    @Autowired
    ToolExecutor tools;
    @Autowired
    ToolRegistry registry;
    @Autowired
    CrmStore crm;
    @Autowired
    ObjectMapper json;

    private ToolCall toolCall(String tenant, String runId, String callId, String tool, Map<String, Object> args) {
        return new ToolCall(tenant, runId, callId, tool, json.valueToTree(args), "autopilot");
    }

    private static Map<String, Object> ticket(String contactId) {
        return Map.of("contact_id", contactId, "subject", "Leak", "priority", "high", "summary", "Water heater leaks",
                "tags", List.of("leak"));
    }

    @Test
    void aTicketCallRunsOnceHoweverOftenItIsDeliveredEvenConcurrently() throws Exception {
        String tenant = newTenant();
        String contact = crm.createContact(tenant, "Ana", null, null, "basic", Map.of()).id();
        ToolCall first = toolCall(tenant, UUID.randomUUID().toString(), "call-1", ToolNames.CREATE_TICKET, ticket(contact));

        ToolExecutor.Execution executed = tools.execute(first);
        ToolExecutor.Execution again = tools.execute(first);
        ExecutorService nodes = Executors.newFixedThreadPool(4);
        ToolCall second = toolCall(tenant, UUID.randomUUID().toString(), "call-1", ToolNames.CREATE_TICKET, ticket(contact));
        List<CompletableFuture<ToolExecutor.Execution>> racing = List.of(
                CompletableFuture.supplyAsync(() -> tools.execute(second), nodes),
                CompletableFuture.supplyAsync(() -> tools.execute(second), nodes),
                CompletableFuture.supplyAsync(() -> tools.execute(second), nodes));
        List<ToolExecutor.Execution> results = racing.stream().map(CompletableFuture::join).toList();
        nodes.shutdown();

        assertThat(executed.replayed()).isFalse();
        assertThat(again.replayed()).isTrue();
        assertThat(again.result()).isEqualTo(executed.result());
        assertThat(results).filteredOn(r -> !r.replayed()).hasSize(1);
        assertThat(results.stream().map(r -> r.result().get("ticket_id")).distinct()).hasSize(1);
        assertThat(crm.tickets(tenant, contact)).as("one ticket per call, two calls").hasSize(2);
    }

    @Test
    void argumentsAreCheckedByTheToolsSchemaAndByTenantAndABadCallChangesNothing() {
        String tenant = newTenant();
        String contact = crm.createContact(tenant, "Ana", null, null, "basic", Map.of()).id();
        String foreign = crm.createContact(newTenant(), "Eve", null, null, "basic", Map.of()).id();
        String run = UUID.randomUUID().toString();

        assertThatThrownBy(() -> tools.execute(toolCall(tenant, run, "c1", ToolNames.CREATE_TICKET,
                Map.of("contact_id", contact, "subject", "Leak"))))
                .isInstanceOf(InvalidToolCallException.class).hasMessageContaining("priority");
        assertThatThrownBy(() -> tools.execute(toolCall(tenant, run, "c2", ToolNames.CREATE_TICKET,
                Map.of("contact_id", contact, "subject", "Leak", "priority", "whenever", "summary", "s", "tags", List.of()))))
                .isInstanceOfSatisfying(InvalidToolCallException.class, e -> assertThat(e.field()).isEqualTo("args.priority"));
        assertThatThrownBy(() -> tools.execute(toolCall(tenant, run, "c3", ToolNames.CREATE_TICKET, ticket(foreign))))
                .isInstanceOfSatisfying(InvalidToolCallException.class, e -> assertThat(e.field()).isEqualTo("args.contact_id"));
        assertThatThrownBy(() -> tools.execute(toolCall(tenant, run, "c4", ToolNames.SET_CONTACT_FIELD,
                Map.of("contact_id", contact, "field", "credit_limit", "value", "1000000"))))
                .isInstanceOfSatisfying(InvalidToolCallException.class, e -> assertThat(e.field()).isEqualTo("args.field"));
        assertThatThrownBy(() -> tools.execute(toolCall(tenant, run, "c5", ToolNames.ISSUE_CREDIT,
                Map.of("contact_id", contact, "amount", 5000, "currency", "USD", "reason", "sorry"))))
                .isInstanceOfSatisfying(InvalidToolCallException.class, e -> assertThat(e.field()).isEqualTo("args.amount"));
        assertThatThrownBy(() -> tools.execute(toolCall(tenant, run, "c6", "delete_everything", Map.of())))
                .isInstanceOfSatisfying(InvalidToolCallException.class, e -> assertThat(e.field()).isEqualTo("tool"));

        assertThat(crm.tickets(tenant, null)).isEmpty();
        assertThat(crm.contact(tenant, contact).fields()).isEmpty();
        assertThat(crm.contact(tenant, contact).subscription().creditBalance()).isZero();
        // a refused call leaves its idempotency key free: the corrected call runs
        assertThat(tools.execute(toolCall(tenant, run, "c3", ToolNames.CREATE_TICKET, ticket(contact))).replayed()).isFalse();
    }

    @Test
    void sensitiveToolsAreMarkedAndChangeTheSubscription() {
        assertThat(registry.all().values()).filteredOn(ToolRegistry.Definition::sensitive)
                .extracting(ToolRegistry.Definition::name)
                .containsExactlyInAnyOrder(ToolNames.CHANGE_PLAN, ToolNames.ISSUE_CREDIT, ToolNames.CANCEL_SUBSCRIPTION);
        String tenant = newTenant();
        String contact = crm.createContact(tenant, "Ana", null, null, "basic", Map.of()).id();
        String run = UUID.randomUUID().toString();

        tools.execute(toolCall(tenant, run, "plan", ToolNames.CHANGE_PLAN, Map.of("contact_id", contact, "plan", "pro")));
        tools.execute(toolCall(tenant, run, "credit", ToolNames.ISSUE_CREDIT,
                Map.of("contact_id", contact, "amount", 25, "currency", "USD", "reason", "late technician")));
        tools.execute(toolCall(tenant, run, "field", ToolNames.SET_CONTACT_FIELD,
                Map.of("contact_id", contact, "field", "policy_number", "value", "GX-204518")));
        ToolExecutor.Execution cancelled = tools.execute(toolCall(tenant, run, "cancel", ToolNames.CANCEL_SUBSCRIPTION,
                Map.of("contact_id", contact, "reason", "moving abroad")));

        CrmStore.Contact after = crm.contact(tenant, contact);
        assertThat(after.subscription().plan()).isEqualTo("pro");
        assertThat(after.subscription().creditBalance()).isEqualTo(25.0);
        assertThat(after.subscription().status()).isEqualTo("cancelled");
        assertThat(after.fields()).containsEntry("policy_number", "GX-204518");
        assertThat(cancelled.result()).containsEntry("previous_status", "active");
    }
}
