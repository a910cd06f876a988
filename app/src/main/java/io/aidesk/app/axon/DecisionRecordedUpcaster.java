package io.aidesk.app.axon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aidesk.api.agentrun.RunEvents.DecisionRecorded;
import io.aidesk.api.decision.ConfidenceBasis;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** DecisionRecorded before revision 2 had no basis: it is read with one that says the basis was not recorded. */
@Component
@Order(0)
public class DecisionRecordedUpcaster extends SingleEventUpcaster {
    private static final SimpleSerializedType BEFORE = new SimpleSerializedType(DecisionRecorded.class.getName(), null);
    private static final SimpleSerializedType AFTER = new SimpleSerializedType(DecisionRecorded.class.getName(),
            DecisionRecorded.REVISION);

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return representation.getType().equals(BEFORE);
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        return representation.upcastPayload(AFTER, JsonNode.class, payload -> {
            if (payload instanceof ObjectNode event && !event.has("basis")) {
                event.putObject("basis").put("method", ConfidenceBasis.UNRECORDED);
            }
            return payload;
        });
    }
}
