package io.aidesk.api.tenancy;

import java.util.Objects;
import java.util.regex.Pattern;

/** A CRM tenant, as named by the {@code tid} claim of its JWT. */
public record TenantId(String value) {
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    public TenantId {
        Objects.requireNonNull(value, "tenant id");
        if (!SHAPE.matcher(value).matches()) {
            throw new IllegalArgumentException("tenant id must be 1-128 letters, digits, '.', '_', ':' or '-'");
        }
    }

    public static boolean isValid(String value) {
        return value != null && SHAPE.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
