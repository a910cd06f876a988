package io.aidesk.saga.replay;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.serializer.JacksonSerializer;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.aidesk.api.Queries;
import io.aidesk.api.replay.ReplayEvents.ReplayStarted;
import io.aidesk.api.replay.ReplayQueries.FindReplayWork;
import io.aidesk.api.replay.ReplayQueries.IndexedItem;
import io.aidesk.api.replay.ReplayQueries.ReplayWork;
import io.aidesk.api.replay.ReplayStatus;
import io.aidesk.gateway.decision.DecisionModel;
import io.aidesk.gateway.decision.DecisionModels;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * Replays as durable jobs (db-scheduler, table ai_replay_jobs). A ReplayStarted schedules one; a worker decides a
 * batch of its items, then puts the job back behind the others due, so every tenant's replay takes turns and live
 * work keeps the rest of the machine. What is decided is recorded item by item: a job interrupted by a stop (or a
 * node that died) resumes at the first item not recorded.
 */
@Component
@ProcessingGroup(ReplayJobs.PROCESSING_GROUP)
class ReplayJobs implements SmartLifecycle {
    static final String PROCESSING_GROUP = "replay-jobs";
    static final String TASK = "replay";
    private static final Logger log = LoggerFactory.getLogger(ReplayJobs.class);

    private final QueryGateway queries;
    private final Rehearsal rehearsal;
    private final DecisionModels models;
    private final List<CorrelationDataProvider> correlation;
    private final DataSource dataSource;
    private final int workers;
    private final int batch;
    private final Duration polling;
    private final CustomTask<ReplayJob> task;
    private volatile Scheduler scheduler;
    private volatile boolean stopping;
    private volatile boolean started;

    ReplayJobs(DataSource dataSource, QueryGateway queries, Rehearsal rehearsal, DecisionModels models,
               List<CorrelationDataProvider> correlation,
               @Value("${aidesk.replays.workers:1}") int workers,
               @Value("${aidesk.replays.batch:10}") int batch,
               @Value("${aidesk.replays.polling:1s}") Duration polling) {
        this.queries = queries;
        this.rehearsal = rehearsal;
        this.models = models;
        this.correlation = List.copyOf(correlation);
        this.dataSource = dataSource;
        this.workers = workers;
        this.batch = batch;
        this.polling = polling;
        this.task = Tasks.custom(TASK, ReplayJob.class)
                .onFailure(new FailureHandler.OnFailureRetryLater<>(Duration.ofSeconds(10)))
                .onDeadExecutionRevive()
                .execute(this::execute);
        this.scheduler = scheduler();
    }

    private Scheduler scheduler() {
        return Scheduler.create(dataSource, List.of(task))
                .tableName("ai_replay_jobs")
                .threads(workers)
                .pollingInterval(polling)
                .heartbeatInterval(Duration.ofSeconds(2))
                .missedHeartbeatsLimit(5)
                .serializer(new JacksonSerializer())
                .enableImmediateExecution()
                .schedulerName(new SchedulerName.Fixed(ManagementFactory.getRuntimeMXBean().getName()))
                .shutdownMaxWait(Duration.ofSeconds(10))
                .build();
    }

    @EventHandler
    void on(ReplayStarted started, EventMessage<?> message) {
        scheduler.scheduleIfNotExists(task.instance(started.replayId(), ReplayJob.of(started, message)), Instant.now());
    }

    private CompletionHandler<ReplayJob> execute(TaskInstance<ReplayJob> instance, ExecutionContext context) {
        ReplayJob job = instance.getData();
        ReplayWork work = inUnitOfWork(job, () -> Queries.await(queries.query(new FindReplayWork(job.replayId(),
                batch), ReplayWork.class)));
        if (!ReplayStatus.RUNNING.wire().equals(work.status()) || work.pending().isEmpty()) {
            return new CompletionHandler.OnCompleteRemove<>();
        }
        DecisionModel model = work.model() == null ? models.configured()
                : models.named(work.model()).orElseThrow(() -> new IllegalStateException("replay " + job.replayId()
                + " asks for model " + work.model() + ", which this node does not offer"));
        for (IndexedItem item : work.pending()) {
            if (stopping || cancelled(job)) {
                break;
            }
            inUnitOfWork(job, () -> {
                rehearsal.rehearse(job.replayId(), item.index(), item.item(), work.proposed(), model);
                return null;
            });
        }
        log.debug("replay {}: decided a batch of {}", job.replayId(), work.pending().size());
        // behind the jobs already due: another tenant's replay takes its turn before this one's next batch
        return (complete, operations) -> operations.reschedule(complete, Instant.now());
    }

    /** A replay cancelled mid-batch decides no more of it. */
    private boolean cancelled(ReplayJob job) {
        return !ReplayStatus.RUNNING.wire().equals(inUnitOfWork(job, () -> Queries.await(queries.query(
                new FindReplayWork(job.replayId(), 0), ReplayWork.class))).status());
    }

    /** The replay's commands and queries carry its tenant and requester, as a request's would. */
    private <T> T inUnitOfWork(ReplayJob job, Supplier<T> work) {
        DefaultUnitOfWork<GenericMessage<String>> unitOfWork = DefaultUnitOfWork.startAndGet(
                new GenericMessage<>(job.replayId(), job.metaData()));
        correlation.forEach(unitOfWork::registerCorrelationDataProvider);
        ResultMessage<T> result = unitOfWork.executeWithResult(work::get);
        if (result.isExceptional()) {
            Throwable failure = result.exceptionResult();
            throw failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
        }
        return result.getPayload();
    }

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

    @Override
    public synchronized void stop() {
        stopping = true;
        scheduler.stop();
        started = false;
    }

    @Override
    public boolean isRunning() {
        return started;
    }
}
