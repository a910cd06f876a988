package io.aidesk.query.agentrun;

import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.AuditTime;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/** Where a page of the run list ends: the last run's start and id, opaque to the caller. */
record RunCursor(Instant startedAt, String runId) {

    String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((startedAt + "|" + runId).getBytes(StandardCharsets.UTF_8));
    }

    /** @throws InvalidCommandException for a cursor this API did not hand out */
    static RunCursor parse(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 2);
            if (parts.length == 2 && !parts[1].isBlank() && AuditTime.within(Instant.parse(parts[0]))) {
                return new RunCursor(Instant.parse(parts[0]), parts[1]);
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            // falls through to the refusal: any malformed cursor gets the same answer
        }
        throw new InvalidCommandException("cursor", "cursor is not one this API handed out");
    }
}
