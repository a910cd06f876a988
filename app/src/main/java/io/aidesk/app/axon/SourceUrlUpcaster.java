package io.aidesk.app.axon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aidesk.api.knowledge.KnowledgeEvents.SourceRegistered;
import io.aidesk.api.knowledge.KnowledgeEvents.SyncRequested;
import io.aidesk.api.knowledge.UrlCredentials;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * SourceRegistered and SyncRequested before revision 2 kept a URL source's credentials in its url: they are read with
 * the userinfo taken off, so no handler, read model or crawl ever sees them (such a source is synced without them).
 */
@Component
@Order(0)
public class SourceUrlUpcaster extends SingleEventUpcaster {
    private static final Map<SimpleSerializedType, SimpleSerializedType> UPCASTS = Map.of(
            new SimpleSerializedType(SourceRegistered.class.getName(), null),
            new SimpleSerializedType(SourceRegistered.class.getName(), "2"),
            new SimpleSerializedType(SyncRequested.class.getName(), null),
            new SimpleSerializedType(SyncRequested.class.getName(), "2"));

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return UPCASTS.containsKey(representation.getType());
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        return representation.upcastPayload(UPCASTS.get(representation.getType()), JsonNode.class, payload -> {
            if (payload instanceof ObjectNode event && event.path("url").isTextual()) {
                event.put("url", UrlCredentials.withoutUserInfo(event.get("url").textValue()));
            }
            return payload;
        });
    }
}
