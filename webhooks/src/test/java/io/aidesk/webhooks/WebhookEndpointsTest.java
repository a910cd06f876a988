package io.aidesk.webhooks;

import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.webhook.WebhookEventType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookEndpointsTest {

    @Test
    void eventTypesAreKnownOnesInTheirOwnOrderOnce() {
        assertThat(WebhookEndpoints.eventTypes(List.of("sync.failed", "Run.Completed", "run.completed", " reply.ready")))
                .containsExactly("reply.ready", "run.completed", "sync.failed");
        assertThatThrownBy(() -> WebhookEndpoints.eventTypes(List.of("run.finished")))
                .isInstanceOf(InvalidCommandException.class)
                .hasMessageContaining("'run.finished' is not an event type").hasMessageContaining("ticket.created");
        assertThatThrownBy(() -> WebhookEndpoints.eventTypes(List.of()))
                .isInstanceOf(InvalidCommandException.class).hasMessageContaining("at least one");
    }

    @Test
    void theSameEventForTheSameEndpointKeepsItsWebhookId() {
        String one = WebhookOutbox.deliveryId("e1", "ev1", WebhookEventType.TICKET_CREATED);
        assertThat(one).matches("msg_[0-9a-f]{32}")
                .isEqualTo(WebhookOutbox.deliveryId("e1", "ev1", WebhookEventType.TICKET_CREATED))
                .isNotEqualTo(WebhookOutbox.deliveryId("e2", "ev1", WebhookEventType.TICKET_CREATED))
                .isNotEqualTo(WebhookOutbox.deliveryId("e1", "ev1",
                        WebhookEventType.TOOL_CALL_EXECUTED));
    }
}
