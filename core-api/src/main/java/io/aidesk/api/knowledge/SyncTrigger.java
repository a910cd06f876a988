package io.aidesk.api.knowledge;

import java.util.Locale;

/** Who asked for a sync: a person (or the source's registration), or the source's own schedule. */
public enum SyncTrigger {
    MANUAL, SCHEDULED;

    /** As the API and the read model write it. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
