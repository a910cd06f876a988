package io.aidesk.ingestion.sync;

import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.aidesk.api.knowledge.KnowledgeCommands.RequestSync;
import io.aidesk.api.knowledge.SyncTrigger;
import io.aidesk.api.tenancy.MetadataKeys;
import io.aidesk.api.tenancy.NotFoundException;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A source's scheduled re-sync, due on the main db-scheduler (one node runs it): it requests the sync. */
@Configuration(proxyBeanMethods = false)
class ResyncTask {
    static final String NAME = "knowledge-resync";
    /** Who the schedule's syncs are requested by, in the audit. */
    static final String SCHEDULER = "scheduler";
    private static final Logger log = LoggerFactory.getLogger(ResyncTask.class);

    /** The source whose re-sync is due. */
    record Due(String tenantId, String sourceId) implements Serializable {
    }

    @Bean
    OneTimeTask<Due> knowledgeResyncTask(CommandGateway commands) {
        return Tasks.oneTime(NAME, Due.class).execute((instance, context) -> {
            Due due = instance.getData();
            // the same execution run twice (a node died after sending) asks for the same sync
            String syncId = UUID.nameUUIDFromBytes((due.sourceId() + "@" + context.getExecution().executionTime)
                    .getBytes(StandardCharsets.UTF_8)).toString();
            try {
                commands.sendAndWait(GenericCommandMessage.asCommandMessage(
                                new RequestSync(due.sourceId(), syncId, SyncTrigger.SCHEDULED))
                        .andMetaData(MetaData.with(MetadataKeys.TENANT_ID, due.tenantId())
                                .and(MetadataKeys.USER_ID, SCHEDULER)));
            } catch (AggregateNotFoundException | NotFoundException gone) {
                log.debug("source {} is gone; its re-sync is dropped", due.sourceId());
            }
        });
    }
}
