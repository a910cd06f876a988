package io.aidesk.ingestion.sync;

import io.aidesk.api.knowledge.CrawlConfig;
import io.aidesk.api.knowledge.KnowledgeEvents.SyncRequested;
import io.aidesk.api.tenancy.MetadataKeys;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MetaData;

import java.util.Map;

/**
 * A sync waiting for, or holding, a worker: the request, and who asked (the metadata its commands carry). Stored as
 * the data of its db-scheduler execution, so it outlives the node.
 */
record SyncJob(String tenantId, String sourceId, String syncId, String type, String url, String fileId,
               CrawlConfig config, String userId, String correlationId, String causationId) {

    static SyncJob of(SyncRequested request, EventMessage<?> message) {
        MetaData from = message.getMetaData();
        return new SyncJob(request.tenantId(), request.sourceId(), request.syncId(), request.type(), request.url(),
                request.fileId(), request.config(), (String) from.get(MetadataKeys.USER_ID),
                (String) from.get(MetadataKeys.CORRELATION_ID), message.getIdentifier());
    }

    /** The tenant, user and correlation of the request, with the request as the cause. */
    MetaData metaData() {
        MetaData metaData = MetaData.with(MetadataKeys.TENANT_ID, tenantId).and(MetadataKeys.CAUSATION_ID, causationId);
        if (userId != null) {
            metaData = metaData.and(MetadataKeys.USER_ID, userId);
        }
        return correlationId == null ? metaData : metaData.mergedWith(Map.of(MetadataKeys.CORRELATION_ID, correlationId));
    }
}
