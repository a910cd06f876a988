package io.aidesk.app.axon;

import io.aidesk.api.knowledge.IndexedDocument;
import io.aidesk.api.knowledge.KnowledgeEvents.DocumentsIndexed;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A stored per-page DocumentIndexed is read as a DocumentsIndexed report of that one page. */
class DocumentsIndexedUpcasterTest {
    private final JacksonSerializer serializer = JacksonSerializer.defaultSerializer();

    private IntermediateEventRepresentation stored(String type, String revision, String json) {
        return new InitialEventRepresentation(new GenericDomainEventEntry<>("KnowledgeSource", "s-1", 3, "e-1",
                Instant.parse("2026-11-01T10:00:00Z"), type, revision, json.getBytes(StandardCharsets.UTF_8),
                "{}".getBytes(StandardCharsets.UTF_8)), serializer);
    }

    private List<IntermediateEventRepresentation> upcast(IntermediateEventRepresentation event) {
        return new DocumentsIndexedUpcaster().upcast(Stream.of(event)).toList();
    }

    @Test
    void aPerPageEventBecomesAReportOfThatPage() {
        String before = "{\"sourceId\":\"s-1\",\"tenantId\":\"acme\",\"syncId\":\"y-1\",\"url\":\"https://help.acme.test/faq\","
                + "\"contentHash\":\"h\",\"newChunks\":3,\"unchangedChunks\":1,\"removedChunks\":2,\"done\":4,\"total\":9}";

        IntermediateEventRepresentation event = upcast(stored(DocumentsIndexed.BEFORE, null, before)).get(0);

        assertThat(event.getType().getName()).isEqualTo(DocumentsIndexed.class.getName());
        assertThat(event.getType().getRevision()).isEqualTo(DocumentsIndexed.REVISION);
        DocumentsIndexed read = serializer.deserialize(event.getData());
        assertThat(read).isEqualTo(new DocumentsIndexed("s-1", "acme", "y-1",
                List.of(new IndexedDocument("https://help.acme.test/faq", "h", 3, 1, 2)), 4, 9));
    }

    @Test
    void aReportOfTodayIsLeftAsItIs() {
        String now = "{\"sourceId\":\"s-1\",\"tenantId\":\"acme\",\"syncId\":\"y-1\",\"documents\":[{\"url\":\"u1\","
                + "\"contentHash\":\"h1\",\"newChunks\":1,\"unchangedChunks\":0,\"removedChunks\":0},{\"url\":\"u2\","
                + "\"contentHash\":\"h2\",\"newChunks\":0,\"unchangedChunks\":5,\"removedChunks\":0}],\"done\":2,\"total\":2}";

        DocumentsIndexed read = serializer.deserialize(upcast(stored(DocumentsIndexed.class.getName(),
                DocumentsIndexed.REVISION, now)).get(0).getData());

        assertThat(read.documents()).extracting(IndexedDocument::url).containsExactly("u1", "u2");
        assertThat(read.done()).isEqualTo(2);
    }
}
