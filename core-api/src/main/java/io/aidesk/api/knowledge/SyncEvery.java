package io.aidesk.api.knowledge;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A source's re-sync interval as people write it: "off", "12h", "1d" (and "30m" where minutes are allowed). */
public final class SyncEvery {
    public static final String OFF = "off";
    public static final String DEFAULT = "1d";
    private static final Pattern FORM = Pattern.compile("([1-9][0-9]{0,3})([mhd])");

    private SyncEvery() {
    }

    /** @return the interval, empty for "off"; IllegalArgumentException (with what is allowed) for anything else */
    public static Optional<Duration> parse(String value) {
        if (OFF.equals(value)) {
            return Optional.empty();
        }
        Matcher form = value == null ? null : FORM.matcher(value);
        if (form == null || !form.matches()) {
            throw new IllegalArgumentException("sync_every is 'off' or a number of hours or days such as '12h' or '1d', got '"
                    + value + "'");
        }
        long amount = Long.parseLong(form.group(1));
        return Optional.of(switch (form.group(2)) {
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        });
    }
}
