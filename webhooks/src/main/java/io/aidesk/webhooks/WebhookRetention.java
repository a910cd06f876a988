package io.aidesk.webhooks;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;

/** Drops the deliveries done with for longer than {@code aidesk.webhooks.keep-for}; hourly, on one node. */
@Component
public class WebhookRetention {
    private static final Logger log = LoggerFactory.getLogger(WebhookRetention.class);

    private final JdbcTemplate jdbc;
    private final WebhookSettings settings;

    WebhookRetention(JdbcTemplate jdbc, WebhookSettings settings) {
        this.jdbc = jdbc;
        this.settings = settings;
    }

    @Bean
    RecurringTask<Void> webhookRetentionTask() {
        return Tasks.recurring("webhook-retention", FixedDelay.of(Duration.ofHours(1)))
                .execute((instance, context) -> purge(settings.keepFor()));
    }

    /** @return how many deliveries were dropped */
    public int purge(Duration keep) {
        Integer dropped = jdbc.queryForObject("SELECT aidesk_webhook_purge(? * interval '1 millisecond')",
                Integer.class, keep.toMillis());
        if (dropped != null && dropped > 0) {
            log.info("dropped {} webhook deliveries done with for more than {}", dropped, keep);
        }
        return dropped == null ? 0 : dropped;
    }
}
