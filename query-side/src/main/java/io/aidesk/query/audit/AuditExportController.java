package io.aidesk.query.audit;

import io.aidesk.api.AuditTime;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.tenancy.Caller;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/** The tenant's audit events of a period as NDJSON, one stored event a line, streamed as they are read. */
@RestController
class AuditExportController {
    static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");
    private static final Set<String> PARAMETERS = Set.of("from", "to");

    /** @param payload the event as stored, personal data opened (or erased) */
    record ExportedEvent(long globalIndex, String eventId, String aggregateId, String aggregateType, long sequence,
                         String type, Instant timestamp, JsonNode payload, Map<String, Object> metadata) {
    }

    private final StoredEvents events;
    private final ObjectMapper json;

    AuditExportController(StoredEvents events, ObjectMapper json) {
        this.events = events;
        this.json = json;
    }

    @GetMapping("/api/ai/audit/export")
    ResponseEntity<StreamingResponseBody> export(@RequestParam Map<String, String> params, Caller caller) {
        params.keySet().stream().filter(name -> !PARAMETERS.contains(name)).findFirst().ifPresent(name -> {
            throw new InvalidCommandException(name, "the export takes from and to only; got '" + name + "'");
        });
        Instant from = required("from", AuditTime.parse("from", params.get("from"), false));
        Instant to = required("to", AuditTime.parse("to", params.get("to"), true));
        if (!from.isBefore(to)) {
            throw new InvalidCommandException("to", "to must be after from");
        }
        String tenant = caller.tenantId().value();
        StreamingResponseBody body = out -> {
            try (JsonGenerator lines = json.getFactory().createGenerator(out)) {
                lines.setRootValueSeparator(null);
                events.ofTenant(tenant, from, to, event -> write(lines, new ExportedEvent(event.globalIndex(),
                        event.eventId(), event.aggregateId(), event.aggregateType(), event.sequence(), event.type(),
                        event.timestamp(), event.payload(), event.metadata())));
            }
        };
        return ResponseEntity.ok().contentType(NDJSON).body(body);
    }

    private void write(JsonGenerator lines, ExportedEvent event) {
        try {
            json.writeValue(lines, event);
            lines.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("the export's reader went away", e);
        }
    }

    private static Instant required(String name, Instant value) {
        if (value == null) {
            throw new InvalidCommandException(name, name + " is required (an ISO-8601 instant or date)");
        }
        return value;
    }
}
