package io.aidesk.api.live;

/**
 * Live updates as Axon subscription queries: a subscriber to {@link WatchChanges} of a topic gets a {@link Changed}
 * for each change of its tenant's records on that topic, after the change commits, so reading the record then shows it.
 */
public final class LiveQueries {
    private LiveQueries() {
    }

    /**
     * The initial answer is a Changed with what {@link Changed#SUBSCRIBED}.
     *
     * @param tenantId the caller's, from its token: an update is matched against the subscription as it was asked,
     *                 so the tenant is part of the question
     */
    public record WatchChanges(LiveTopic topic, String tenantId) {
    }

    /**
     * @param id   the record that changed: a conversation, run, call or source id
     * @param what the event that changed it (its simple name), or {@link #SUBSCRIBED} for the initial answer
     */
    public record Changed(LiveTopic topic, String id, String what) {
        public static final String SUBSCRIBED = "subscribed";
    }
}
