package io.aidesk.webhooks;

import io.aidesk.api.tenancy.MetadataKeys;
import io.aidesk.api.tenancy.RowSecurity;
import io.aidesk.api.webhook.WebhookCommands.DisableWebhookEndpoint;
import io.aidesk.ingestion.crawl.OutboundAddresses;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.routing.RoutingSupport;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Delivers the outbox: a few worker threads per node, each claiming the next delivery due (the first pending one of
 * its lane, locked so other nodes skip it), posting it signed, and recording the answer in the same transaction.
 * A lane's next delivery waits until the one before it is delivered or given up, so a conversation's events arrive
 * in order; a failure is retried with exponential backoff for {@code retry-for}, and an endpoint that has failed for
 * {@code disable-after} is disabled.
 */
@Component
class WebhookDispatcher implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final int MAX_ERROR_BODY = 300;

    /** What one attempt came to. @param status null when no answer came */
    record Attempt(Integer status, String error) {
        boolean delivered() {
            return status != null && status >= 200 && status < 300;
        }
    }

    /** A delivery claimed for this transaction, with what sending it needs. */
    private record Claimed(String tenant, String deliveryId, String endpointId, String url, byte[] secret,
                           String payload) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final SigningSecrets secrets;
    private final WebhookSettings settings;
    private final CommandGateway commands;
    private final MeterRegistry meters;
    private final CloseableHttpClient http;
    private final Object signal = new Object();
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "webhook-deadlines");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running;
    private long wakeUps;

    WebhookDispatcher(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, SigningSecrets secrets,
                      WebhookSettings settings, OutboundAddresses addresses, @Lazy CommandGateway commands,
                      MeterRegistry meters) {
        this.jdbc = jdbc;
        this.meters = meters;
        this.transactions = new TransactionTemplate(transactionManager);
        this.secrets = secrets;
        this.settings = settings;
        this.commands = commands;
        Timeout timeout = Timeout.of(settings.timeout());
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(addresses.dns())
                        .setMaxConnTotal(settings.workers() * 2)
                        .setMaxConnPerRoute(settings.workers())
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(timeout).setSocketTimeout(timeout).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(timeout).build())
                // a redirect is not a delivery: the receiver answers where it was registered
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableContentCompression()
                .setUserAgent("AIDesk-Webhooks/0.1")
                .build();
    }

    /** New deliveries were committed: an idle worker looks now rather than at its next poll. */
    void wake() {
        synchronized (signal) {
            wakeUps++;
            signal.notifyAll();
        }
    }

    @Override
    public void start() {
        running = true;
        for (int i = 0; i < settings.workers(); i++) {
            Thread worker = new Thread(this::work, "webhook-delivery-" + i);
            worker.setDaemon(true);
            worker.start();
            workers.add(worker);
        }
    }

    @Override
    public void stop() {
        running = false;
        wake();
        for (Thread worker : workers) {
            try {
                worker.join(settings.timeout().plusSeconds(1).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workers.clear();
        deadlines.shutdownNow();
        try {
            http.close();
        } catch (IOException e) {
            log.debug("closing the webhook client: {}", e.toString());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void work() {
        while (running) {
            long seen;
            synchronized (signal) {
                seen = wakeUps;
            }
            boolean didOne;
            try {
                didOne = deliverOne();
            } catch (RuntimeException e) {
                log.warn("a webhook delivery could not be recorded; it is tried again: {}", e.toString());
                didOne = false;
            }
            if (!didOne) {
                synchronized (signal) {
                    if (running && wakeUps == seen) {
                        try {
                            signal.wait(settings.idlePoll().toMillis());
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }
            }
        }
    }

    /** @return whether a delivery was due (and attempted) */
    boolean deliverOne() {
        DisableWebhookEndpoint[] disable = new DisableWebhookEndpoint[1];
        String[] tenantOfDisabled = new String[1];
        Boolean attempted = transactions.execute(status -> {
            List<String[]> due = jdbc.query("SELECT tenant_id, delivery_id FROM aidesk_webhook_claim()",
                    (row, i) -> new String[]{row.getString(1), row.getString(2)});
            if (due.isEmpty()) {
                return false;
            }
            String tenant = due.get(0)[0];
            jdbc.queryForObject(RowSecurity.SCOPE_SQL, String.class, tenant);
            Claimed claimed = jdbc.queryForObject("""
                    SELECT d.delivery_id, d.endpoint_id, e.url, e.secret, d.payload::text
                    FROM ai_webhook_deliveries d JOIN ai_webhook_endpoints e ON e.endpoint_id = d.endpoint_id
                    WHERE d.delivery_id = ?
                    """, (row, i) -> new Claimed(tenant, row.getString(1), row.getString(2), row.getString(3),
                    row.getBytes(4), row.getString(5)), due.get(0)[1]);
            long started = System.nanoTime();
            Attempt attempt = send(claimed);
            Timer.builder("aidesk.webhook.delivery.latency").tag("outcome", attempt.delivered() ? "delivered" : "failed")
                    .register(meters).record(Duration.ofNanos(System.nanoTime() - started));
            DisableWebhookEndpoint disabling = record(claimed, attempt);
            if (disabling != null) {
                disable[0] = disabling;
                tenantOfDisabled[0] = tenant;
            }
            return true;
        });
        if (disable[0] != null) {
            commands.sendAndWait(GenericCommandMessage.asCommandMessage(disable[0])
                    .andMetaData(MetaData.with(MetadataKeys.TENANT_ID, tenantOfDisabled[0])));
        }
        return Boolean.TRUE.equals(attempted);
    }

    private Attempt send(Claimed claimed) {
        HttpPost post;
        try {
            long timestamp = Instant.now().getEpochSecond();
            post = new HttpPost(claimed.url());
            post.setHeader("webhook-id", claimed.deliveryId());
            post.setHeader("webhook-timestamp", Long.toString(timestamp));
            post.setHeader("webhook-signature", WebhookSignature.sign(
                    secrets.open(claimed.tenant(), claimed.endpointId(), claimed.secret()), claimed.deliveryId(),
                    timestamp, claimed.payload()));
            post.setEntity(new StringEntity(claimed.payload(), ContentType.APPLICATION_JSON));
        } catch (RuntimeException e) {
            // a delivery that cannot be signed backs off like any failure, rather than being claimed again at once
            return new Attempt(null, "AI Desk could not sign the delivery: " + e.getMessage());
        }
        // one deadline for connecting, the headers and what is read of the body: a receiver that drips is cut off
        ScheduledFuture<?> deadline = deadlines.schedule(post::cancel, settings.timeout().toMillis(),
                TimeUnit.MILLISECONDS);
        try (ClassicHttpResponse response = http.executeOpen(RoutingSupport.determineHost(post), post, null)) {
            int code = response.getCode();
            if (code >= 200 && code < 300) {
                return new Attempt(code, null);
            }
            String body = "";
            if (response.getEntity() != null) {
                try (InputStream in = response.getEntity().getContent()) {
                    body = new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8).strip();
                }
            }
            String error = code >= 300 && code < 400 ? "answered " + code + " (a redirect is not followed: "
                    + "register the URL it points to)" : "answered " + code + (body.isEmpty() ? "" : ": " + body);
            return new Attempt(code, error);
        } catch (IOException | HttpException e) {
            if (post.isCancelled()) {
                return new Attempt(null, "no whole answer within " + settings.timeout().toSeconds() + " s");
            }
            return new Attempt(null, e instanceof IOException io ? OutboundAddresses.inWords(io)
                    : "the request could not be sent: " + e.getMessage());
        } finally {
            deadline.cancel(false);
        }
    }

    /** Records the attempt; answers the command that disables the endpoint when it has failed for too long. */
    private DisableWebhookEndpoint record(Claimed claimed, Attempt attempt) {
        if (attempt.delivered()) {
            jdbc.update("""
                    UPDATE ai_webhook_deliveries SET status = 'delivered', attempts = attempts + 1,
                           last_attempt_at = now(), last_status = ?, last_error = NULL, delivered_at = now()
                    WHERE delivery_id = ?
                    """, attempt.status(), claimed.deliveryId());
            jdbc.update("UPDATE ai_webhook_endpoints SET failing_since = NULL WHERE endpoint_id = ?",
                    claimed.endpointId());
            meters.counter("aidesk.webhook.deliveries", "outcome", "delivered").increment();
            return null;
        }
        Integer attempts = jdbc.queryForObject("""
                UPDATE ai_webhook_deliveries SET attempts = attempts + 1, last_attempt_at = now(), last_status = ?,
                       last_error = ?
                WHERE delivery_id = ? RETURNING attempts
                """, Integer.class, attempt.status(), attempt.error(), claimed.deliveryId());
        Duration wait = settings.backoff(attempts == null ? 1 : attempts);
        jdbc.update("""
                UPDATE ai_webhook_deliveries
                SET status = CASE WHEN created_at + ? * interval '1 millisecond' <= now() THEN 'failed' ELSE 'pending' END,
                    next_attempt_at = now() + ? * interval '1 millisecond'
                WHERE delivery_id = ?
                """, settings.retryFor().toMillis(), wait.toMillis(), claimed.deliveryId());
        meters.counter("aidesk.webhook.deliveries", "outcome", "failed_attempt").increment();
        Timestamp failingSince = jdbc.queryForObject("""
                UPDATE ai_webhook_endpoints SET failing_since = COALESCE(failing_since, now())
                WHERE endpoint_id = ? RETURNING failing_since
                """, Timestamp.class, claimed.endpointId());
        log.info("webhook {} to endpoint {} failed (attempt {}): {}", claimed.deliveryId(), claimed.endpointId(),
                attempts, attempt.error());
        if (failingSince != null && !failingSince.toInstant().plus(settings.disableAfter()).isAfter(Instant.now())) {
            return new DisableWebhookEndpoint(claimed.endpointId(), "every delivery failed since "
                    + failingSince.toInstant() + " (the last: " + attempt.error() + "); nothing is sent to it until "
                    + "an admin enables it again");
        }
        return null;
    }
}
