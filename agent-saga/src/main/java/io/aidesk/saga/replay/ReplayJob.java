package io.aidesk.saga.replay;

import io.aidesk.api.replay.ReplayEvents.ReplayStarted;
import io.aidesk.api.tenancy.MetadataKeys;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MetaData;

import java.util.Map;

/** A replay waiting for, or holding, a worker: which replay, and who asked (the metadata its commands carry). */
record ReplayJob(String replayId, String tenantId, String userId, String correlationId, String causationId) {

    static ReplayJob of(ReplayStarted started, EventMessage<?> message) {
        MetaData from = message.getMetaData();
        return new ReplayJob(started.replayId(), started.tenantId(), (String) from.get(MetadataKeys.USER_ID),
                (String) from.get(MetadataKeys.CORRELATION_ID), message.getIdentifier());
    }

    MetaData metaData() {
        MetaData metaData = MetaData.with(MetadataKeys.TENANT_ID, tenantId).and(MetadataKeys.CAUSATION_ID, causationId);
        if (userId != null) {
            metaData = metaData.and(MetadataKeys.USER_ID, userId);
        }
        return correlationId == null ? metaData : metaData.mergedWith(Map.of(MetadataKeys.CORRELATION_ID, correlationId));
    }
}
