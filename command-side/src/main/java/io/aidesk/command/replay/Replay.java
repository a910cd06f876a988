package io.aidesk.command.replay;

import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.StateConflictException;
import io.aidesk.api.replay.ReplayCommands.CancelReplay;
import io.aidesk.api.replay.ReplayCommands.RecordReplayedItem;
import io.aidesk.api.replay.ReplayCommands.StartReplay;
import io.aidesk.api.replay.ReplayEvents.ReplayCancelled;
import io.aidesk.api.replay.ReplayEvents.ReplayCompleted;
import io.aidesk.api.replay.ReplayEvents.ReplayItemReplayed;
import io.aidesk.api.replay.ReplayEvents.ReplayStarted;
import io.aidesk.api.replay.ReplayItem;
import io.aidesk.api.settings.AssistantSettingsValues;
import io.aidesk.api.tenancy.MetadataKeys;
import io.aidesk.api.tenancy.MissingTenantException;
import io.aidesk.api.tenancy.NotFoundException;
import io.aidesk.command.settings.SettingsRules;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.BitSet;
import java.util.List;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A rehearsal of a proposed change on past customer messages: what it replays under which settings, which items are
 * decided again, and when it ends. It never touches a conversation; its decisions are AgentRuns of mode replay.
 */
@Aggregate
public class Replay {
    static final int MAX_DESCRIPTION = 200;

    @AggregateIdentifier
    private String replayId;
    private String tenantId;
    private int items;
    private final BitSet replayed = new BitSet();
    private boolean ended;

    protected Replay() {
    }

    @CommandHandler
    public Replay(StartReplay command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant,
                  @MetaDataValue(MetadataKeys.USER_ID) String user) {
        if (tenant == null) {
            throw new MissingTenantException(StartReplay.class.getSimpleName());
        }
        List<ReplayItem> chosen = command.items() == null ? List.of() : List.copyOf(command.items());
        if (chosen.isEmpty()) {
            throw new InvalidCommandException("selection", "the selection holds no customer message or question to "
                    + "replay");
        }
        if (chosen.size() > ReplayItem.MAX_PER_REPLAY) {
            throw new InvalidCommandException("selection", "a replay decides at most " + ReplayItem.MAX_PER_REPLAY
                    + " messages again; this selection holds " + chosen.size());
        }
        String description = command.description() == null ? "" : command.description().strip();
        if (description.length() > MAX_DESCRIPTION) {
            throw new InvalidCommandException("description", "a description is at most " + MAX_DESCRIPTION
                    + " characters");
        }
        AssistantSettingsValues proposed = SettingsRules.apply(command.current(), command.patch());
        apply(new ReplayStarted(command.replayId(), tenant, description, command.current(), proposed, command.model(),
                command.selection(), chosen, user == null ? "system" : user));
    }

    @CommandHandler
    void handle(RecordReplayedItem command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        owned(tenant);
        if (command.index() < 0 || command.index() >= items) {
            throw new IllegalStateException("replay " + replayId + " has no item " + command.index());
        }
        if (ended || replayed.get(command.index())) {
            return; // redelivered, or the replay was cancelled meanwhile: the first recording stands
        }
        apply(new ReplayItemReplayed(replayId, tenantId, command.index(), command.replayRunId(), command.original(),
                command.replayed(), command.original().differencesFrom(command.replayed())));
        if (replayed.cardinality() == items) {
            apply(new ReplayCompleted(replayId, tenantId, items));
        }
    }

    @CommandHandler
    void handle(CancelReplay command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant,
                @MetaDataValue(MetadataKeys.USER_ID) String user) {
        owned(tenant);
        if (ended) {
            throw new StateConflictException("the replay has ended already: nothing is left to cancel");
        }
        apply(new ReplayCancelled(replayId, tenantId, user == null ? "system" : user));
    }

    private void owned(String tenant) {
        if (tenant == null || !tenant.equals(tenantId)) {
            throw new NotFoundException("replay");
        }
    }

    @EventSourcingHandler
    void on(ReplayStarted event) {
        replayId = event.replayId();
        tenantId = event.tenantId();
        items = event.items().size();
    }

    @EventSourcingHandler
    void on(ReplayItemReplayed event) {
        replayed.set(event.index());
    }

    @EventSourcingHandler
    void on(ReplayCompleted event) {
        ended = true;
    }

    @EventSourcingHandler
    void on(ReplayCancelled event) {
        ended = true;
    }
}
