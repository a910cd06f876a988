package io.aidesk.command.knowledge;

import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.knowledge.CrawlConfig;
import io.aidesk.api.knowledge.KnowledgeCommands.CancelSync;
import io.aidesk.api.knowledge.KnowledgeCommands.ChangeSourceConfig;
import io.aidesk.api.knowledge.KnowledgeCommands.CompleteSync;
import io.aidesk.api.knowledge.KnowledgeCommands.DeleteSource;
import io.aidesk.api.knowledge.KnowledgeCommands.FailSync;
import io.aidesk.api.knowledge.KnowledgeCommands.RecordDocumentsIndexed;
import io.aidesk.api.knowledge.KnowledgeCommands.RegisterSource;
import io.aidesk.api.knowledge.KnowledgeCommands.RequestSync;
import io.aidesk.api.knowledge.KnowledgeCommands.StartSync;
import io.aidesk.api.knowledge.KnowledgeEvents.DocumentsIndexed;
import io.aidesk.api.knowledge.KnowledgeEvents.SourceConfigChanged;
import io.aidesk.api.knowledge.KnowledgeEvents.SourceDeleted;
import io.aidesk.api.knowledge.KnowledgeEvents.SourceRegistered;
import io.aidesk.api.knowledge.KnowledgeEvents.SyncCancelled;
import io.aidesk.api.knowledge.KnowledgeEvents.SyncCompleted;
import io.aidesk.api.knowledge.KnowledgeEvents.SyncFailed;
import io.aidesk.api.knowledge.KnowledgeEvents.SyncRequested;
import io.aidesk.api.knowledge.KnowledgeEvents.SyncStarted;
import io.aidesk.api.knowledge.SourceType;
import io.aidesk.api.knowledge.SyncTrigger;
import io.aidesk.api.knowledge.UrlCredentials;
import io.aidesk.api.tenancy.MetadataKeys;
import io.aidesk.api.tenancy.MissingTenantException;
import io.aidesk.api.tenancy.NotFoundException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.List;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.axonframework.modelling.command.AggregateLifecycle.markDeleted;

/** A tenant's website or file: decides when a sync may start, which worker reports count, and when it is gone. */
@Aggregate(snapshotTriggerDefinition = KnowledgeSourceSnapshots.TRIGGER)
public class KnowledgeSource {

    @AggregateIdentifier
    private String sourceId;
    private String tenantId;
    private String type;
    private String url;
    private String fileId;
    private CrawlConfig config;
    /** the sync queued or running; null when the source is at rest */
    private String currentSync;
    private boolean running;

    protected KnowledgeSource() {
        // for Axon
    }

    @CommandHandler
    public KnowledgeSource(RegisterSource command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant,
                           @MetaDataValue(MetadataKeys.USER_ID) String user, SyncIntervals intervals) {
        if (tenant == null) {
            throw new MissingTenantException(RegisterSource.class.getSimpleName());
        }
        String cleanUrl = null;
        CrawlConfig cleanConfig = null;
        if (SourceType.URL.equals(command.type())) {
            cleanUrl = SourceRules.url(command.url());
            cleanConfig = SourceRules.config(command.config(), intervals.shortest());
        } else if (SourceType.FILE.equals(command.type())) {
            if (command.fileId() == null) {
                throw new InvalidCommandException("file", "a file source needs an uploaded file");
            }
        } else {
            throw new InvalidCommandException("type", "type is 'url' or 'file', got '" + command.type() + "'");
        }
        apply(new SourceRegistered(command.sourceId(), tenant, command.type(), cleanUrl, command.fileId(),
                command.fileName(), cleanConfig, user == null ? "system" : user));
        apply(new SyncRequested(command.sourceId(), tenant, command.firstSyncId(), command.type(), cleanUrl,
                command.fileId(), cleanConfig, SyncTrigger.MANUAL));
    }

    @CommandHandler
    void handle(ChangeSourceConfig command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant,
                SyncIntervals intervals) {
        ownedBy(tenant);
        if (!SourceType.URL.equals(type)) {
            throw new InvalidCommandException("config", "only URL sources have a crawl config");
        }
        CrawlConfig clean = SourceRules.config(command.config(), intervals.shortest());
        if (!clean.equals(config)) {
            apply(new SourceConfigChanged(sourceId, tenantId, clean));
        }
    }

    /** Answers the sync id: a new one, or the one already queued or running (a second click queues nothing). */
    @CommandHandler
    String handle(RequestSync command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        ownedBy(tenant);
        if (currentSync != null) {
            return currentSync;
        }
        // a snapshot taken before SourceRegistered revision 2 may still hold a url with credentials
        apply(new SyncRequested(sourceId, tenantId, command.syncId(), type, UrlCredentials.withoutUserInfo(url), fileId,
                config, command.trigger() == null ? SyncTrigger.MANUAL : command.trigger()));
        return command.syncId();
    }

    /** Answers the sync stopped, or null when none was queued or running (nothing happens then). */
    @CommandHandler
    String handle(CancelSync command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant,
                  @MetaDataValue(MetadataKeys.USER_ID) String user) {
        ownedBy(tenant);
        if (currentSync == null) {
            return null;
        }
        String stopped = currentSync;
        apply(new SyncCancelled(sourceId, tenantId, stopped, user == null ? "system" : user));
        return stopped;
    }

    /** False when the sync is stale (finished, replaced or its source deleted): the worker then does nothing. */
    @CommandHandler
    boolean handle(StartSync command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        ownedBy(tenant);
        if (!command.syncId().equals(currentSync)) {
            return false;
        }
        apply(new SyncStarted(sourceId, tenantId, command.syncId(), command.total()));
        return true;
    }

    @CommandHandler
    boolean handle(RecordDocumentsIndexed command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        ownedBy(tenant);
        if (!isRunning(command.syncId())) {
            return false;
        }
        apply(new DocumentsIndexed(sourceId, tenantId, command.syncId(), List.copyOf(command.documents()),
                command.done(), command.total()));
        return true;
    }

    @CommandHandler
    boolean handle(CompleteSync command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        ownedBy(tenant);
        if (!isRunning(command.syncId())) {
            return false;
        }
        apply(new SyncCompleted(sourceId, tenantId, command.syncId(), command.counts(), safe(command.errors())));
        return true;
    }

    @CommandHandler
    boolean handle(FailSync command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        ownedBy(tenant);
        if (!command.syncId().equals(currentSync)) {
            return false;
        }
        apply(new SyncFailed(sourceId, tenantId, command.syncId(), command.reason(), command.counts(),
                safe(command.errors())));
        return true;
    }

    @CommandHandler
    void handle(DeleteSource command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        ownedBy(tenant);
        apply(new SourceDeleted(sourceId, tenantId, fileId));
    }

    private boolean isRunning(String syncId) {
        return running && syncId.equals(currentSync);
    }

    private static <T> List<T> safe(List<T> list) {
        return list == null ? List.of() : list;
    }

    /** Another tenant's source answers exactly like an unknown one. */
    private void ownedBy(String tenant) {
        if (tenant == null || !tenant.equals(tenantId)) {
            throw new NotFoundException("knowledge source");
        }
    }

    @EventSourcingHandler
    void on(SourceRegistered event) {
        sourceId = event.sourceId();
        tenantId = event.tenantId();
        type = event.type();
        url = event.url();
        fileId = event.fileId();
        config = event.config();
    }

    @EventSourcingHandler
    void on(SourceConfigChanged event) {
        config = event.config();
    }

    @EventSourcingHandler
    void on(SyncRequested event) {
        currentSync = event.syncId();
        running = false;
    }

    @EventSourcingHandler
    void on(SyncStarted event) {
        running = true;
    }

    @EventSourcingHandler
    void on(SyncCompleted event) {
        currentSync = null;
        running = false;
    }

    @EventSourcingHandler
    void on(SyncFailed event) {
        currentSync = null;
        running = false;
    }

    @EventSourcingHandler
    void on(SyncCancelled event) {
        currentSync = null;
        running = false;
    }

    @EventSourcingHandler
    void on(SourceDeleted event) {
        markDeleted();
    }
}
