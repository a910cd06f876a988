package io.aidesk.command.knowledge;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Duration;

/** The least re-sync interval a source may ask for here: an hour, so no tenant hammers a site; tests allow a minute. */
@Component
public class SyncIntervals {
    private final Duration shortest;

    public SyncIntervals(@Value("${aidesk.knowledge.shortest-sync-every:1h}") Duration shortest) {
        this.shortest = shortest;
    }

    public Duration shortest() {
        return shortest;
    }
}
