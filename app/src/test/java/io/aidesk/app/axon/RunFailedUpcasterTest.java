package io.aidesk.app.axon;

import io.aidesk.api.agentrun.FailureKind;
import io.aidesk.api.agentrun.RunEvents.RunFailed;
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

/** A RunFailed stored before it had a kind reads with the kind its reason names, or unrecorded. */
class RunFailedUpcasterTest {
    private final JacksonSerializer serializer = JacksonSerializer.defaultSerializer();

    private RunFailed read(String json, String revision) {
        IntermediateEventRepresentation stored = new InitialEventRepresentation(new GenericDomainEventEntry<>(
                "AgentRun", "r-1", 7, "e-1", Instant.parse("2026-11-01T10:00:00Z"), RunFailed.class.getName(),
                revision, json.getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8)), serializer);
        List<IntermediateEventRepresentation> upcast = new RunFailedUpcaster().upcast(Stream.of(stored)).toList();
        assertThat(upcast).singleElement().satisfies(event ->
                assertThat(event.getType().getRevision()).isEqualTo(RunFailed.REVISION));
        return serializer.deserialize(upcast.get(0).getData());
    }

    @Test
    void theAutopilotsReasonNamesTheKind() {
        RunFailed event = read("{\"runId\":\"r-1\",\"tenantId\":\"acme\",\"mode\":\"autopilot\","
                + "\"reason\":\"server_error: openai:gpt-4o-mini failed with 500\"}", null);

        assertThat(event.kind()).isEqualTo(FailureKind.SERVER_ERROR);
        assertThat(event.reason()).isEqualTo("server_error: openai:gpt-4o-mini failed with 500");
    }

    @Test
    void anyOtherReasonIsUnrecorded() {
        assertThat(read("{\"runId\":\"r-1\",\"tenantId\":\"acme\",\"reason\":\"no decision\"}", null).kind())
                .isEqualTo(FailureKind.UNRECORDED);
        assertThat(read("{\"runId\":\"r-1\",\"tenantId\":\"acme\",\"reason\":\"sealed: x\"}", null).kind())
                .isEqualTo(FailureKind.UNRECORDED);
    }

    @Test
    void anEventOfTheCurrentRevisionKeepsItsKind() {
        List<IntermediateEventRepresentation> read = new RunFailedUpcaster().upcast(Stream.of(
                new InitialEventRepresentation(new GenericDomainEventEntry<>("AgentRun", "r-1", 7, "e-1",
                        Instant.parse("2026-11-01T10:00:00Z"), RunFailed.class.getName(), RunFailed.REVISION,
                        "{\"runId\":\"r-1\",\"kind\":\"RETRIEVAL_FAILED\",\"reason\":\"timeout: x\"}"
                                .getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8)), serializer)))
                .toList();

        RunFailed event = serializer.deserialize(read.get(0).getData());
        assertThat(event.kind()).isEqualTo(FailureKind.RETRIEVAL_FAILED);
    }
}
