package io.aidesk.webhooks;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookSettingsTest {
    private final WebhookSettings settings = new WebhookSettings(Duration.ofSeconds(5), Duration.ofHours(1),
            Duration.ofHours(24), Duration.ofHours(24), Duration.ofSeconds(10), 2, Duration.ofSeconds(1), 20, Duration.ofDays(7));

    @Test
    void eachFailureDoublesTheWaitUpToTheCap() {
        assertThat(settings.backoff(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.backoff(2)).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.backoff(3)).isEqualTo(Duration.ofSeconds(20));
        assertThat(settings.backoff(10)).isEqualTo(Duration.ofSeconds(2560));
        assertThat(settings.backoff(11)).isEqualTo(Duration.ofHours(1));
        assertThat(settings.backoff(500)).isEqualTo(Duration.ofHours(1));
    }

    /** With the defaults a receiver that is down gets about 30 attempts within the day before a delivery is given up. */
    @Test
    void theDefaultsTryForADay() {
        Duration waited = Duration.ZERO;
        int attempts = 1;
        while (waited.plus(settings.backoff(attempts)).compareTo(settings.retryFor()) < 0) {
            waited = waited.plus(settings.backoff(attempts));
            attempts++;
        }
        assertThat(attempts).isBetween(25, 35);
    }
}
