package io.aidesk.query.audit;

import io.aidesk.api.InvalidCommandException;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** A time the audit's query strings take: an ISO-8601 instant, or a date meaning a whole UTC day. */
public final class AuditTime {
    private AuditTime() {
    }

    /**
     * @param end whether the bound is exclusive at the end: a date then means the first moment after that day
     * @throws InvalidCommandException naming the parameter, for anything else
     */
    public static Instant parse(String name, String value, boolean end) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notAnInstant) {
            try {
                LocalDate date = LocalDate.parse(value);
                return (end ? date.plusDays(1) : date).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notADate) {
                throw new InvalidCommandException(name, name + " is an ISO-8601 instant (2026-12-01T09:00:00Z) or date "
                        + "(2026-12-01); got '" + value + "'");
            }
        }
    }
}
