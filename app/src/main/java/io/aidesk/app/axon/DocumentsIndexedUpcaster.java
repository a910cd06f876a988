package io.aidesk.app.axon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aidesk.api.knowledge.KnowledgeEvents.DocumentsIndexed;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import java.util.List;

/** A sync's per-page DocumentIndexed event, from before syncs reported their pages in groups, read as a group of one. */
@Component
@Order(2)
public class DocumentsIndexedUpcaster extends SingleEventUpcaster {
    private static final SimpleSerializedType BEFORE = new SimpleSerializedType(DocumentsIndexed.BEFORE, null);
    private static final SimpleSerializedType NOW = new SimpleSerializedType(DocumentsIndexed.class.getName(),
            DocumentsIndexed.REVISION);
    private static final List<String> PAGE_FIELDS = List.of("url", "contentHash", "newChunks", "unchangedChunks",
            "removedChunks");

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return representation.getType().equals(BEFORE);
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        return representation.upcastPayload(NOW, JsonNode.class, payload -> {
            if (!(payload instanceof ObjectNode event)) {
                return payload;
            }
            ObjectNode page = JsonNodeFactory.instance.objectNode();
            PAGE_FIELDS.forEach(field -> {
                if (event.has(field)) {
                    page.set(field, event.remove(field));
                }
            });
            ArrayNode documents = event.putArray("documents");
            documents.add(page);
            return event;
        });
    }
}
