package io.aidesk.api.knowledge;

/** The lifecycle a source's read model shows: idle → queued → syncing → ok | failed | cancelled. */
public final class SourceStatus {
    public static final String IDLE = "idle";
    public static final String QUEUED = "queued";
    public static final String SYNCING = "syncing";
    public static final String OK = "ok";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";

    private SourceStatus() {
    }
}
