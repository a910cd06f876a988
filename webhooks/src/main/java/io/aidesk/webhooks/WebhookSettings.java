package io.aidesk.webhooks;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How AI Desk delivers webhooks (aidesk.webhooks.*).
 *
 * @param firstRetry   the wait after a first failed attempt; each later failure doubles it, up to maxBackoff
 * @param retryFor     a delivery not answered 2xx this long after its event is given up (failed)
 * @param disableAfter an endpoint whose every delivery failed for this long is disabled, and says so
 * @param timeout      connecting and the whole answer take at most this long
 * @param workers      deliveries under way at once on this node (each lane still one at a time)
 * @param idlePoll     how often an idle worker looks for retries that came due (new events wake it at once)
 * @param maxEndpoints endpoints one tenant may have
 * @param keepFor      a delivery delivered or given up stays in the log (and can be resent) this long
 */
@ConfigurationProperties("aidesk.webhooks")
public record WebhookSettings(
        @DefaultValue("5s") Duration firstRetry,
        @DefaultValue("1h") Duration maxBackoff,
        @DefaultValue("24h") Duration retryFor,
        @DefaultValue("24h") Duration disableAfter,
        @DefaultValue("10s") Duration timeout,
        @DefaultValue("2") int workers,
        @DefaultValue("1s") Duration idlePoll,
        @DefaultValue("20") int maxEndpoints,
        @DefaultValue("7d") Duration keepFor) {
    public WebhookSettings {
        if (workers < 1) {
            throw new IllegalArgumentException("aidesk.webhooks.workers must be at least 1, not " + workers);
        }
    }

    /** The wait before the attempt after the given number of failed ones: exponential, capped. */
    public Duration backoff(int failedAttempts) {
        Duration wait = firstRetry;
        for (int i = 1; i < failedAttempts && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
