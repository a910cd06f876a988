package io.aidesk.app.axon;

import com.fasterxml.jackson.databind.JsonNode;
import io.aidesk.api.knowledge.KnowledgeEvents.SourceConfigChanged;
import io.aidesk.api.knowledge.KnowledgeEvents.SourceRegistered;
import io.aidesk.api.knowledge.KnowledgeEvents.SyncRequested;
import io.aidesk.api.knowledge.SyncTrigger;
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

/** Knowledge events from before schedules read with the default re-sync interval and a person's trigger. */
class SyncScheduleUpcasterTest {
    private static final String CONFIG = "{\"maxPages\":50,\"sameDomainOnly\":true,\"includePaths\":[],\"excludePaths\":[]}";
    private final JacksonSerializer serializer = JacksonSerializer.defaultSerializer();

    private IntermediateEventRepresentation stored(Class<?> type, String json, String revision) {
        return new InitialEventRepresentation(new GenericDomainEventEntry<>("KnowledgeSource", "s-1", 0, "e-1",
                Instant.parse("2026-11-01T10:00:00Z"), type.getName(), revision,
                json.getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8)), serializer);
    }

    private List<IntermediateEventRepresentation> upcast(IntermediateEventRepresentation... events) {
        // in the order Axon chains them (@Order 0, then 1)
        return new SyncScheduleUpcaster().upcast(new SourceUrlUpcaster().upcast(Stream.of(events))).toList();
    }

    private static JsonNode payload(IntermediateEventRepresentation event) {
        return event.getData(JsonNode.class).getData();
    }

    @Test
    void aFirstRevisionSyncRequestGetsTheDefaultScheduleAPersonsTriggerAndNoUserinfo() {
        String before = "{\"sourceId\":\"s-1\",\"tenantId\":\"acme\",\"syncId\":\"y-1\",\"type\":\"url\","
                + "\"url\":\"https://ana:hunter2@help.acme.test/\",\"config\":" + CONFIG + "}";

        IntermediateEventRepresentation event = upcast(stored(SyncRequested.class, before, null)).get(0);

        assertThat(event.getType().getRevision()).isEqualTo(SyncRequested.REVISION);
        assertThat(payload(event).path("config").path("syncEvery").asText()).isEqualTo("1d");
        SyncRequested read = serializer.deserialize(event.getData());
        assertThat(read.trigger()).isEqualTo(SyncTrigger.MANUAL);
        assertThat(read.url()).isEqualTo("https://help.acme.test/");
    }

    @Test
    void aSecondRevisionRegistrationAndAnUnrevisedConfigChangeGetTheDefaultScheduleAndAFileSourceNone() {
        String url = "{\"sourceId\":\"s-1\",\"tenantId\":\"acme\",\"type\":\"url\",\"url\":\"https://help.acme.test/\","
                + "\"config\":" + CONFIG + ",\"registeredBy\":\"ana\"}";
        String file = "{\"sourceId\":\"s-2\",\"tenantId\":\"acme\",\"type\":\"file\",\"fileId\":\"f-1\",\"config\":null}";
        String change = "{\"sourceId\":\"s-1\",\"tenantId\":\"acme\",\"config\":" + CONFIG + "}";

        List<IntermediateEventRepresentation> events = upcast(stored(SourceRegistered.class, url, "2"),
                stored(SourceRegistered.class, file, "2"), stored(SourceConfigChanged.class, change, null));

        assertThat(events).extracting(e -> e.getType().getRevision())
                .containsExactly(SourceRegistered.REVISION, SourceRegistered.REVISION, SourceConfigChanged.REVISION);
        assertThat(payload(events.get(0)).path("config").path("syncEvery").asText()).isEqualTo("1d");
        assertThat(payload(events.get(1)).path("config").isNull()).isTrue();
        assertThat(payload(events.get(2)).path("config").path("syncEvery").asText()).isEqualTo("1d");
    }

    @Test
    void aCurrentRevisionIsLeftAsItIs() {
        String current = "{\"sourceId\":\"s-1\",\"tenantId\":\"acme\",\"syncId\":\"y-1\",\"type\":\"url\","
                + "\"url\":\"https://help.acme.test/\",\"config\":{\"maxPages\":50,\"syncEvery\":\"off\"},"
                + "\"trigger\":\"SCHEDULED\"}";

        SyncRequested read = serializer.deserialize(upcast(stored(SyncRequested.class, current, SyncRequested.REVISION))
                .get(0).getData());

        assertThat(read.config().syncEvery()).isEqualTo("off");
        assertThat(read.trigger()).isEqualTo(SyncTrigger.SCHEDULED);
    }
}
