package io.aidesk.app.rebuild;

import io.aidesk.api.StateConflictException;
import io.aidesk.api.tenancy.RowSecurity;
import io.aidesk.query.audit.StoredEvents;
import io.aidesk.query.audit.StoredEvents.StoredEvent;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.SubscribingEventProcessor;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resets a tenant's read models and replays the tenant's events into them, in one transaction: readers see the old
 * tables until the new ones are complete, and the tenant's projections wait meanwhile (the rebuild lock).
 */
@Component
public class ReadModelRebuild {
    private static final Logger log = LoggerFactory.getLogger(ReadModelRebuild.class);

    /**
     * The processing groups whose tables are read models of the events and nothing else. Not here: the knowledge
     * index (made from crawls, not events), the CRM's notes, the workers and sagas, and the audit chain, which must
     * never be reset.
     */
    public static final List<String> PROJECTIONS = List.of("assistant-settings", "knowledge-sources", "conversations",
            "agent-runs", "insights", "replays");
    /** Their tables, children first. */
    static final List<String> TABLES = List.of("ai_replay_items", "ai_replays", "ai_insight_approvals",
            "ai_insight_runs", "ai_run_citations", "ai_actions_log", "ai_runs", "ai_messages", "ai_conversations",
            "ai_kb_sync_history", "ai_kb_sources", "ai_assistant_settings");

    private static final Duration LOCK_WAIT = Duration.ofSeconds(15);

    public record Result(String tenant, long events, Map<String, Integer> rows, long tookMs) {
    }

    private final EventProcessingConfiguration processing;
    private final StoredEvents events;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    ReadModelRebuild(EventProcessingConfiguration processing, StoredEvents events, JdbcTemplate jdbc,
                     PlatformTransactionManager transactionManager) {
        this.processing = processing;
        this.events = events;
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    public Result rebuild(String tenant) {
        events.requirePostgres();
        long started = System.nanoTime();
        List<EventHandlerInvoker> invokers = PROJECTIONS.stream().map(this::invoker).toList();
        Result result = transactions.execute(status -> {
            jdbc.queryForObject(RowSecurity.SCOPE_SQL, String.class, tenant);
            lockOut(tenant);
            TABLES.forEach(table -> jdbc.update("DELETE FROM " + table + " WHERE tenant_id = ?", tenant));
            long[] replayed = {0};
            events.ofTenant(tenant, event -> {
                replay(invokers, message(event));
                replayed[0]++;
            });
            Map<String, Integer> rows = new LinkedHashMap<>();
            TABLES.forEach(table -> rows.put(table, jdbc.queryForObject("SELECT count(*) FROM " + table
                    + " WHERE tenant_id = ?", Integer.class, tenant)));
            return new Result(tenant, replayed[0], rows, 0);
        });
        long took = (System.nanoTime() - started) / 1_000_000;
        log.info("rebuilt the read models of tenant {} from {} events in {} ms: {}", tenant, result.events(), took,
                result.rows());
        return new Result(result.tenant(), result.events(), result.rows(), took);
    }

    /** Waits for the tenant's projections in flight, a while at most: a model call can hold one for its timeout. */
    private void lockOut(String tenant) {
        jdbc.execute("SET LOCAL lock_timeout = '" + LOCK_WAIT.toMillis() + "ms'");
        try {
            jdbc.queryForRowSet(RowSecurity.REBUILD_LOCK_SQL, tenant);
        } catch (PessimisticLockingFailureException busy) {
            throw new StateConflictException("the tenant's read models are being written for longer than "
                    + LOCK_WAIT.toSeconds() + " s; nothing was rebuilt, try again");
        }
        jdbc.execute("SET LOCAL lock_timeout = 0");
    }

    private EventHandlerInvoker invoker(String group) {
        return processing.eventProcessor(group, SubscribingEventProcessor.class)
                .orElseThrow(() -> new IllegalStateException("no subscribing processor " + group + " to replay into"))
                .eventHandlerInvoker();
    }

    private static void replay(List<EventHandlerInvoker> invokers, EventMessage<?> event) {
        ResultMessage<?> handled = DefaultUnitOfWork.startAndGet(event).executeWithResult(() -> {
            for (EventHandlerInvoker invoker : invokers) {
                if (invoker.canHandle(event, Segment.ROOT_SEGMENT)) {
                    invoker.handle(event, Segment.ROOT_SEGMENT);
                }
            }
            return null;
        });
        if (handled.isExceptional()) {
            // the whole rebuild rolls back: the tenant keeps the read models it had
            throw new IllegalStateException("replaying event " + event.getIdentifier() + " failed",
                    handled.exceptionResult());
        }
    }

    private static EventMessage<?> message(StoredEvent event) {
        return new GenericDomainEventMessage<>(event.aggregateType(), event.aggregateId(), event.sequence(),
                event.event(), event.metadata(), event.eventId(), event.timestamp());
    }
}
