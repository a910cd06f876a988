package io.aidesk.ingestion.sync;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.serializer.JacksonSerializer;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.aidesk.api.knowledge.KnowledgeCommands.StartSync;
import io.aidesk.api.knowledge.KnowledgeEvents.SyncRequested;
import io.aidesk.api.knowledge.SourceSecrets;
import io.aidesk.api.knowledge.SourceType;
import io.aidesk.ingestion.crawl.Crawl;
import io.aidesk.ingestion.crawl.Crawler;
import io.aidesk.ingestion.crawl.CrawlerSettings;
import io.aidesk.ingestion.index.KnowledgeFiles;
import io.aidesk.ingestion.index.KnowledgeIndex;
import io.aidesk.ingestion.index.TenantTransactions;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.lang.management.ManagementFactory;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Syncs as durable jobs. A SyncRequested schedules a job (db-scheduler, table ai_kb_sync_jobs) and returns; a bounded
 * pool of workers runs the jobs, at most N of one tenant at once across every node (TenantSlots), a job that finds
 * its tenant's slots taken stepping back behind the others. A node that dies mid-sync stops heartbeating its job;
 * another node (or the same one restarted) revives it, and the sync resumes from its frontier (SyncPages). A sync
 * cancelled or whose source was deleted is stopped within a second by its watcher.
 */
@Component
@ProcessingGroup(SyncJobs.PROCESSING_GROUP)
class SyncJobs implements SmartLifecycle {
    static final String PROCESSING_GROUP = "knowledge-sync";
    static final String TASK = "knowledge-sync";
    private static final Logger log = LoggerFactory.getLogger(SyncJobs.class);

    private enum SourceState { CURRENT, STALE, DELETED }

    private final CommandGateway commands;
    private final KnowledgeIndex index;
    private final KnowledgeFiles files;
    private final CrawlerSettings settings;
    private final TenantSlots slots;
    private final SourceSecrets secrets;
    private final JdbcTemplate jdbc;
    private final TenantTransactions tenants;
    private final Duration slotRetry;
    private final CustomTask<SyncJob> task;
    private final DataSource dataSource;
    private final int workers;
    private final Duration polling;
    private final Duration heartbeat;
    private volatile Scheduler scheduler;
    private final ScheduledExecutorService watchers = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "knowledge-sync-watcher");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<Crawl> running = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    private volatile boolean started;

    SyncJobs(DataSource dataSource, CommandGateway commands, KnowledgeIndex index, KnowledgeFiles files,
             CrawlerSettings settings, TenantSlots slots, SourceSecrets secrets, JdbcTemplate jdbc,
             TenantTransactions tenants,
             @Value("${aidesk.ingestion.sync-workers:4}") int workers,
             @Value("${aidesk.ingestion.sync-polling:1s}") Duration polling,
             @Value("${aidesk.ingestion.sync-heartbeat:2s}") Duration heartbeat,
             @Value("${aidesk.ingestion.slot-retry:1s}") Duration slotRetry) {
        this.commands = commands;
        this.index = index;
        this.files = files;
        this.settings = settings;
        this.slots = slots;
        this.secrets = secrets;
        this.jdbc = jdbc;
        this.tenants = tenants;
        this.slotRetry = slotRetry;
        this.dataSource = dataSource;
        this.workers = workers;
        this.polling = polling;
        this.heartbeat = heartbeat;
        this.task = Tasks.custom(TASK, SyncJob.class)
                // a job that failed outside the sync's own handling (the database went away, say) tries again
                .onFailure(new FailureHandler.OnFailureRetryLater<>(Duration.ofSeconds(30)))
                .onDeadExecutionRevive()
                .execute(this::execute);
        this.scheduler = scheduler();
    }

    /** Its own table and threads: a long sync never holds up the approvals' deadlines on the main scheduler. */
    private Scheduler scheduler() {
        return Scheduler.create(dataSource, List.of(task))
                .tableName("ai_kb_sync_jobs")
                .threads(workers)
                .pollingInterval(polling)
                .heartbeatInterval(heartbeat)
                .missedHeartbeatsLimit(5)
                .serializer(new JacksonSerializer())
                .enableImmediateExecution()
                .schedulerName(new SchedulerName.Fixed(ManagementFactory.getRuntimeMXBean().getName()))
                .shutdownMaxWait(Duration.ofSeconds(10))
                .build();
    }

    @EventHandler
    void on(SyncRequested request, EventMessage<?> message) {
        // a request handled twice (a replay, a node that died before its token moved) schedules its job once
        scheduler.scheduleIfNotExists(task.instance(request.syncId(), SyncJob.of(request, message)), Instant.now());
    }

    private CompletionHandler<SyncJob> execute(TaskInstance<SyncJob> instance, ExecutionContext context) {
        SyncJob job = instance.getData();
        Optional<TenantSlots.Slot> slot;
        try {
            slot = slots.tryTake(job.tenantId());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot take a sync slot of tenant " + job.tenantId(), e);
        }
        if (slot.isEmpty()) {
            // behind the jobs already due: other tenants' syncs go first while this tenant's slots are taken
            return (complete, operations) -> operations.reschedule(complete, Instant.now().plus(slotRetry));
        }
        try (TenantSlots.Slot held = slot.get()) {
            run(job);
        }
        if (stopping) {
            // the node is shutting down mid-sync: the job stays, and resumes from its frontier
            return (complete, operations) -> operations.reschedule(complete, Instant.now());
        }
        return new CompletionHandler.OnCompleteRemove<>();
    }

    private void run(SyncJob job) {
        if (!Boolean.TRUE.equals(send(new StartSync(job.sourceId(), job.syncId(), 0), job))) {
            SyncPages.clear(jdbc, tenants, job.tenantId(), job.syncId());
            return; // cancelled, replaced or deleted before it started
        }
        Crawl crawl = new Crawl();
        SyncPages pages = SourceType.URL.equals(job.type())
                ? new SyncPages(jdbc, tenants, job.tenantId(), job.syncId()) : null;
        SyncRun.Tools tools = new SyncRun.Tools(new Crawler(settings), index, tenants, files, command -> send(command, job),
                Instant.now().plus(settings.syncTimeout()), () -> stopping);
        SyncRun sync = new SyncRun(job, tools, pages, crawl);
        running.add(crawl);
        // every second: a sync no longer current stops, and the documents written since the last report are reported
        ScheduledFuture<?> watch = watchers.scheduleWithFixedDelay(() -> {
            if (state(job) != SourceState.CURRENT) {
                crawl.stop();
            } else {
                reportProgress(sync);
            }
        }, 1, 1, TimeUnit.SECONDS);
        try {
            sync.sync(secrets.of(job.tenantId(), job.sourceId()).orElse(null));
        } catch (AggregateNotFoundException deleted) {
            log.debug("source {} was deleted during sync {}", job.sourceId(), job.syncId());
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        } finally {
            watch.cancel(false);
            running.remove(crawl);
        }
        if (stopping) {
            return;
        }
        SyncPages.clear(jdbc, tenants, job.tenantId(), job.syncId());
        if (state(job) == SourceState.DELETED) {
            // the source was deleted while it synced: drop what this run wrote after the purge
            index.purge(job.tenantId(), job.sourceId());
        }
    }

    private static void reportProgress(SyncRun sync) {
        try {
            sync.report();
        } catch (RuntimeException e) {
            log.warn("cannot report a sync's progress: {}", e.getMessage()); // the next report carries it
        }
    }

    /** Whether the sync is still its source's current one; read from the source's read model. */
    private SourceState state(SyncJob job) {
        try {
            List<String> current = tenants.inTenant(job.tenantId(), () -> jdbc.queryForList(
                    "SELECT COALESCE(current_sync, '') FROM ai_kb_sources WHERE tenant_id = ? AND id = ?", String.class,
                    job.tenantId(), job.sourceId()));
            return current.isEmpty() ? SourceState.DELETED
                    : current.get(0).equals(job.syncId()) ? SourceState.CURRENT : SourceState.STALE;
        } catch (RuntimeException e) {
            log.warn("cannot read the state of source {}: {}", job.sourceId(), e.getMessage());
            return SourceState.CURRENT;
        }
    }

    private Object send(Object command, SyncJob job) {
        return commands.sendAndWait(GenericCommandMessage.asCommandMessage(command).andMetaData(job.metaData()));
    }

    /** Starts the workers; after a stop, a new pool takes up the jobs the stop left (a restarted node does the same). */
    @Override
    public synchronized void start() {
        if (started) {
            return;
        }
        if (stopping) {
            scheduler = scheduler();
            stopping = false;
        }
        scheduler.start();
        started = true;
    }

    /** Stops the syncs running here within moments: their jobs stay scheduled, and resume from their frontiers. */
    @Override
    public synchronized void stop() {
        stopping = true;
        running.forEach(Crawl::stop);
        scheduler.stop();
        started = false;
    }

    @Override
    public boolean isRunning() {
        return started;
    }
}
