package io.aidesk.app.axon;

import io.aidesk.api.agentrun.RunEvents.DecisionRecorded;
import io.aidesk.api.decision.ConfidenceBasis;
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

/** A DecisionRecorded stored at an earlier revision reads as the current one. */
class DecisionRecordedUpcasterTest {
    private final JacksonSerializer serializer = JacksonSerializer.defaultSerializer();

    private IntermediateEventRepresentation stored(String json, String revision) {
        return new InitialEventRepresentation(new GenericDomainEventEntry<>("AgentRun", "r-1", 3, "e-1",
                Instant.parse("2026-11-01T10:00:00Z"), DecisionRecorded.class.getName(), revision,
                json.getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8)), serializer);
    }

    @Test
    void anEventOfTheFirstRevisionGetsAnUnrecordedBasisAndTheCurrentRevision() {
        String before = "{\"runId\":\"r-1\",\"tenantId\":\"acme\",\"rawOutput\":\"{}\"}";

        List<IntermediateEventRepresentation> upcast = new DecisionRecordedUpcaster()
                .upcast(Stream.of(stored(before, null))).toList();

        assertThat(upcast).singleElement().satisfies(event -> {
            assertThat(event.getType().getRevision()).isEqualTo(DecisionRecorded.REVISION);
            DecisionRecorded read = serializer.deserialize(event.getData());
            assertThat(read.runId()).isEqualTo("r-1");
            assertThat(read.basis().method()).isEqualTo(ConfidenceBasis.UNRECORDED);
        });
    }

    @Test
    void anEventOfTheSecondRevisionKeepsItsAnswerConfidenceAndRecordsNoActionConfidence() {
        String second = "{\"runId\":\"r-1\",\"tenantId\":\"acme\",\"basis\":{\"method\":\"calibrated\","
                + "\"features\":{\"answer_confidence\":0.81}}}";

        List<IntermediateEventRepresentation> upcast = new DecisionRecordedUpcaster()
                .upcast(Stream.of(stored(second, "2"))).toList();

        assertThat(upcast).singleElement().satisfies(event -> {
            assertThat(event.getType().getRevision()).isEqualTo(DecisionRecorded.REVISION);
            DecisionRecorded read = serializer.deserialize(event.getData());
            assertThat(read.basis().answerConfidence()).isEqualTo(0.81);
            assertThat(read.basis().actionConfidence()).isNull();
            assertThat(read.basis().needs()).isEmpty();
        });
    }

    @Test
    void anEventOfTheCurrentRevisionIsLeftAsItIs() {
        String current = "{\"runId\":\"r-1\",\"tenantId\":\"acme\",\"basis\":{\"method\":\"calibrated\","
                + "\"features\":{\"passage_similarity\":0.8}}}";

        List<IntermediateEventRepresentation> read = new DecisionRecordedUpcaster()
                .upcast(Stream.of(stored(current, DecisionRecorded.REVISION))).toList();

        DecisionRecorded event = serializer.deserialize(read.get(0).getData());
        assertThat(event.basis().method()).isEqualTo(ConfidenceBasis.CALIBRATED);
        assertThat(event.basis().features()).containsEntry("passage_similarity", 0.8);
    }
}
