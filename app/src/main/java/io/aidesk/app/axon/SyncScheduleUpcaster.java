package io.aidesk.app.axon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aidesk.api.knowledge.KnowledgeEvents.SourceConfigChanged;
import io.aidesk.api.knowledge.KnowledgeEvents.SourceRegistered;
import io.aidesk.api.knowledge.KnowledgeEvents.SyncRequested;
import io.aidesk.api.knowledge.SyncEvery;
import io.aidesk.api.knowledge.SyncTrigger;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * Knowledge events from before schedules: a URL source's config is read with the default re-sync interval (daily),
 * and a sync request with the trigger every request had then (a person's). Runs after {@link SourceUrlUpcaster}.
 */
@Component
@Order(1)
public class SyncScheduleUpcaster extends SingleEventUpcaster {
    private static final Map<SimpleSerializedType, SimpleSerializedType> UPCASTS = Map.of(
            new SimpleSerializedType(SourceRegistered.class.getName(), "2"),
            new SimpleSerializedType(SourceRegistered.class.getName(), SourceRegistered.REVISION),
            new SimpleSerializedType(SourceConfigChanged.class.getName(), null),
            new SimpleSerializedType(SourceConfigChanged.class.getName(), SourceConfigChanged.REVISION),
            new SimpleSerializedType(SyncRequested.class.getName(), "2"),
            new SimpleSerializedType(SyncRequested.class.getName(), SyncRequested.REVISION));

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return UPCASTS.containsKey(representation.getType());
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        boolean request = representation.getType().getName().equals(SyncRequested.class.getName());
        return representation.upcastPayload(UPCASTS.get(representation.getType()), JsonNode.class, payload -> {
            if (payload instanceof ObjectNode event) {
                if (event.get("config") instanceof ObjectNode config && !config.hasNonNull("syncEvery")) {
                    config.put("syncEvery", SyncEvery.DEFAULT);
                }
                if (request && !event.hasNonNull("trigger")) {
                    event.put("trigger", SyncTrigger.MANUAL.name());
                }
            }
            return payload;
        });
    }
}
