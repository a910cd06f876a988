package io.aidesk.command.knowledge;

import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A source records an event per indexed document, so a 1,000-page site adds 1,000 events per sync: without
 * snapshots every progress report would replay them all.
 */
@Configuration(proxyBeanMethods = false)
class KnowledgeSourceSnapshots {
    static final String TRIGGER = "knowledgeSourceSnapshotTrigger";
    static final int EVENTS_BETWEEN_SNAPSHOTS = 100;

    @Bean(TRIGGER)
    SnapshotTriggerDefinition knowledgeSourceSnapshotTrigger(Snapshotter snapshotter) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, EVENTS_BETWEEN_SNAPSHOTS);
    }
}
