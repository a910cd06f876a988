package io.aidesk.app.axon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aidesk.api.agentrun.FailureKind;
import io.aidesk.api.agentrun.RunEvents.RunFailed;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * RunFailed before revision 2 had no kind: the autopilot wrote its reason as "kind: why", so the kind is read from
 * there; any other reason (or a sealed one, which cannot be read here) gives unrecorded.
 */
@Component
@Order(0)
public class RunFailedUpcaster extends SingleEventUpcaster {
    private static final String TYPE = RunFailed.class.getName();
    private static final SimpleSerializedType FIRST = new SimpleSerializedType(TYPE, null);
    private static final SimpleSerializedType CURRENT = new SimpleSerializedType(TYPE, RunFailed.REVISION);

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return representation.getType().equals(FIRST);
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        return representation.upcastPayload(CURRENT, JsonNode.class, payload -> {
            if (payload instanceof ObjectNode event && !event.has("kind")) {
                event.put("kind", kindOf(event.path("reason")).name());
            }
            return payload;
        });
    }

    static FailureKind kindOf(JsonNode reason) {
        if (!reason.isTextual() || !reason.asText().contains(": ")) {
            return FailureKind.UNRECORDED;
        }
        return FailureKind.of(reason.asText().substring(0, reason.asText().indexOf(": ")));
    }
}
