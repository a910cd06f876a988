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

/**
 * DecisionRecorded before revision 2 had no basis: it is read with one that says the basis was not recorded. Before
 * revision 3 the basis had one confidence: the answer's is read from its features, the action's was not recorded.
 */
@Component
@Order(0)
public class DecisionRecordedUpcaster extends SingleEventUpcaster {
    private static final String TYPE = DecisionRecorded.class.getName();
    private static final SimpleSerializedType FIRST = new SimpleSerializedType(TYPE, null);
    private static final SimpleSerializedType SECOND = new SimpleSerializedType(TYPE, "2");
    private static final SimpleSerializedType CURRENT = new SimpleSerializedType(TYPE, DecisionRecorded.REVISION);

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return representation.getType().equals(FIRST) || representation.getType().equals(SECOND);
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        return representation.upcastPayload(CURRENT, JsonNode.class, payload -> {
            if (payload instanceof ObjectNode event) {
                if (!event.has("basis")) {
                    event.putObject("basis").put("method", ConfidenceBasis.UNRECORDED);
                } else if (event.get("basis") instanceof ObjectNode basis) {
                    JsonNode answer = basis.path("features").path("answer_confidence");
                    if (answer.isNumber()) {
                        basis.put("answerConfidence", answer.asDouble());
                    }
                    basis.putArray("needs");
                }
            }
            return payload;
        });
    }
}
