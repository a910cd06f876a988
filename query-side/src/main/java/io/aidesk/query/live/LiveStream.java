package io.aidesk.query.live;

import io.aidesk.api.ForbiddenException;
import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.live.LiveQueries.Changed;
import io.aidesk.api.live.LiveQueries.WatchChanges;
import io.aidesk.api.live.LiveTopic;
import io.aidesk.api.tenancy.Caller;
import io.aidesk.api.tenancy.MetadataKeys;
import io.aidesk.api.tenancy.Role;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.QueryHandler;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Live updates for the UI as server-sent events: {@code GET /api/ai/stream?topics=conversations,runs} subscribes to
 * the tenant's changes on those topics (Axon subscription queries the projections answer) and sends each as a
 * {@code changed} event naming the topic, the record and the event; the screen then reads that record again. A
 * comment every {@code aidesk.live.heartbeat} keeps proxies from closing a quiet stream.
 */
@RestController
class LiveStream {
    private static final Logger log = LoggerFactory.getLogger(LiveStream.class);

    private final QueryGateway queries;
    private final Duration heartbeat;
    private final Duration maxAge;
    /** the streams open now: a node that shuts down ends them rather than wait for the browsers to leave */
    private final Set<SseEmitter> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "live-stream-heartbeat");
        thread.setDaemon(true);
        return thread;
    });

    LiveStream(QueryGateway queries, @Value("${aidesk.live.heartbeat:20s}") Duration heartbeat,
               @Value("${aidesk.live.max-age:30m}") Duration maxAge) {
        this.queries = queries;
        this.heartbeat = heartbeat;
        this.maxAge = maxAge;
    }

    /** The initial answer of every subscription: the stream is open from here on. */
    @QueryHandler
    Changed subscribe(WatchChanges query, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        if (!tenant.equals(query.tenantId())) {
            throw new ForbiddenException("a tenant follows its own changes only");
        }
        return new Changed(query.topic(), null, Changed.SUBSCRIBED);
    }

    /** A stream ends after {@code aidesk.live.max-age}; the browser opens a new one and reads its screen again. */
    @GetMapping(path = "/api/ai/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter stream(@RequestParam(name = "topics", required = false) String topics, Caller caller) {
        Set<LiveTopic> wanted = topics(topics, caller);
        SseEmitter emitter = new SseEmitter(maxAge.toMillis());
        List<SubscriptionQueryResult<Changed, Changed>> subscriptions = new ArrayList<>();
        List<Disposable> listening = new CopyOnWriteArrayList<>();
        for (LiveTopic topic : wanted) {
            subscriptions.add(queries.subscriptionQuery(new WatchChanges(topic, caller.tenantId().value()), Changed.class, Changed.class));
        }
        ScheduledFuture<?>[] beat = new ScheduledFuture<?>[1];
        open.add(emitter);
        AtomicBoolean closed = new AtomicBoolean();
        // once: the heartbeat, the completion and an error may each end the stream
        Runnable close = () -> {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            open.remove(emitter);
            listening.forEach(Disposable::dispose);
            subscriptions.forEach(SubscriptionQueryResult::cancel);
            if (beat[0] != null) {
                beat[0].cancel(false);
            }
        };
        emitter.onCompletion(close);
        emitter.onTimeout(close);
        emitter.onError(e -> close.run());
        try {
            // the subscriptions are in place before the screen is told to read: nothing falls between the two
            for (SubscriptionQueryResult<Changed, Changed> subscription : subscriptions) {
                subscription.initialResult().block(Duration.ofSeconds(10));
            }
            emitter.send(SseEmitter.event().name("ready").data(Map.of("topics",
                    wanted.stream().map(LiveTopic::wire).toList()), MediaType.APPLICATION_JSON));
        } catch (IOException | RuntimeException e) {
            close.run();
            throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
        }
        for (SubscriptionQueryResult<Changed, Changed> subscription : subscriptions) {
            // off the thread that heard the change: a browser that stops reading holds up only its own stream
            listening.add(subscription.updates().publishOn(Schedulers.boundedElastic())
                    .subscribe(change -> send(emitter, change),
                    error -> emitter.completeWithError(error), emitter::complete));
        }
        beat[0] = beats.scheduleAtFixedRate(() -> Schedulers.boundedElastic().schedule(() -> {
            try {
                synchronized (emitter) {
                    emitter.send(SseEmitter.event().comment("heartbeat"));
                }
            } catch (IOException | IllegalStateException e) {
                close.run();
            }
        }), heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        return emitter;
    }

    /** Before the web server's graceful shutdown, which would wait for every open stream to end by itself. */
    @EventListener(ContextClosedEvent.class)
    void endEveryStream() {
        beats.shutdownNow();
        open.forEach(SseEmitter::complete);
        open.clear();
    }

    private static void send(SseEmitter emitter, Changed change) {
        try {
            synchronized (emitter) {
                emitter.send(SseEmitter.event().name("changed").data(Map.of("topic", change.topic().wire(),
                        "id", change.id() == null ? "" : change.id(), "what", change.what()), MediaType.APPLICATION_JSON));
            }
        } catch (IOException | IllegalStateException e) {
            // the browser went away: the emitter's completion cancels the subscriptions
            log.debug("a live stream is gone: {}", e.toString());
        }
    }

    private static Set<LiveTopic> topics(String value, Caller caller) {
        String known = Arrays.stream(LiveTopic.values()).map(LiveTopic::wire).collect(Collectors.joining(", "));
        if (value == null || value.isBlank()) {
            throw new InvalidCommandException("topics", "name the topics to follow, comma separated: " + known);
        }
        Set<LiveTopic> topics = new LinkedHashSet<>();
        for (String part : value.split(",")) {
            String wire = part.strip().toLowerCase(Locale.ROOT);
            LiveTopic topic = LiveTopic.of(wire).orElseThrow(() -> new InvalidCommandException("topics",
                    "'" + part.strip() + "' is not a topic; the topics are " + known));
            if (topic == LiveTopic.APPROVALS && !caller.has(Role.ADMIN)) {
                throw new ForbiddenException("only an admin follows the approvals");
            }
            if (topic == LiveTopic.REPLAYS && !caller.has(Role.ADMIN) && !caller.has(Role.AUDITOR)) {
                throw new ForbiddenException("only an admin or an auditor follows the replays");
            }
            topics.add(topic);
        }
        return topics;
    }
}
