package io.aidesk.api;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** A time the API's query strings and bodies take: an ISO-8601 instant, or a date meaning a whole UTC day. */
public final class AuditTime {
    private static final Instant EARLIEST = Instant.EPOCH;
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

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
        Instant instant;
        try {
            instant = Instant.parse(value);
        } catch (DateTimeParseException notAnInstant) {
            try {
                LocalDate date = LocalDate.parse(value);
                instant = (end ? date.plusDays(1) : date).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeException notADate) {
                throw new InvalidCommandException(name, name + " is an ISO-8601 instant (2026-12-01T09:00:00Z) or date "
                        + "(2026-12-01); got '" + value + "'");
            }
        }
        if (!within(instant)) {
            throw new InvalidCommandException(name, name + " lies outside the years 1970 to 9999; got '" + value + "'");
        }
        return instant;
    }

    /** Whether the instant is one the event store and Postgres can both hold. */
    public static boolean within(Instant instant) {
        return !instant.isBefore(EARLIEST) && !instant.isAfter(LATEST);
    }
}
