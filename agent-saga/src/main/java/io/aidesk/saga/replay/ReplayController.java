package io.aidesk.saga.replay;

import io.aidesk.api.AuditTime;
import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.Queries;
import io.aidesk.api.StateConflictException;
import io.aidesk.api.replay.ReplayCommands.CancelReplay;
import io.aidesk.api.replay.ReplayCommands.StartReplay;
import io.aidesk.api.replay.ReplayItem;
import io.aidesk.api.replay.ReplayQueries.FindReplayCandidates;
import io.aidesk.api.replay.ReplayQueries.ListReplays;
import io.aidesk.api.replay.ReplayQueries.ReplayCandidates;
import io.aidesk.api.replay.ReplayQueries.ReplayList;
import io.aidesk.api.replay.ReplayQueries.ReplaySummary;
import io.aidesk.api.replay.ReplayStatus;
import io.aidesk.api.settings.AssistantSettingsView;
import io.aidesk.api.settings.FindAssistantSettings;
import io.aidesk.api.settings.SettingsPatch;
import io.aidesk.api.tenancy.Caller;
import io.aidesk.api.tenancy.Ids;
import io.aidesk.gateway.decision.DecisionModels;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * An admin rehearses a change before it goes live: POST /api/ai/replays with the proposed settings (or model) and a
 * selection — a period, conversations, or test questions — and the replay decides each message again in the
 * background; GET /api/ai/replays/{id} (query-side) reads the diff. One replay of a tenant runs at a time.
 */
@RestController
class ReplayController {
    static final int DEFAULT_LIMIT = 500;
    static final int MAX_QUESTION = 2000;

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final DecisionModels models;

    ReplayController(CommandGateway commands, QueryGateway queries, DecisionModels models) {
        this.commands = commands;
        this.queries = queries;
        this.models = models;
    }

    /**
     * @param from      with to, the customer messages posted in [from, to) (an instant, or a date for the whole day)
     * @param questions test questions instead of past messages; not with the others
     * @param limit     how many messages at most (500 unless said; at most 1000): a bigger selection is refused
     */
    record Selection(String from, String to, List<String> conversationIds, List<String> questions, Integer limit) {
    }

    record StartRequest(String description, SettingsPatch settings, String model, Selection selection) {
    }

    @PostMapping(path = "/api/ai/replays", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ReplaySummary> start(@RequestBody StartRequest body, Caller caller) {
        if (body.selection() == null) {
            throw new InvalidCommandException("selection", "say what to replay: a period (from, to), "
                    + "conversation_ids, or questions");
        }
        String model = model(body.model());
        List<ReplayItem> items = items(body.selection());
        boolean running = Queries.await(queries.query(new ListReplays(), ReplayList.class)).items().stream()
                .anyMatch(replay -> ReplayStatus.RUNNING.wire().equals(replay.status()));
        if (running) {
            throw new StateConflictException("a replay of this tenant is running: wait for it to end or cancel it "
                    + "(POST /api/ai/replays/{id}/cancel)");
        }
        String replayId = UUID.randomUUID().toString();
        commands.sendAndWait(new StartReplay(replayId, body.description(), Queries.await(queries.query(
                new FindAssistantSettings(), AssistantSettingsView.class)).settings(), body.settings(), model,
                describe(body.selection(), items.size()), items));
        ReplaySummary started = Queries.await(queries.query(new ListReplays(), ReplayList.class)).items().stream()
                .filter(replay -> replay.replayId().equals(replayId)).findFirst()
                .orElseThrow(() -> new IllegalStateException("replay " + replayId + " is not in its read model"));
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/api/ai/replays/" + replayId))
                .body(started);
    }

    @PostMapping("/api/ai/replays/{id}/cancel")
    ResponseEntity<Void> cancel(@PathVariable String id, Caller caller) {
        commands.sendAndWait(new CancelReplay(Ids.known(id, "replay")));
        return ResponseEntity.noContent().build();
    }

    private String model(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        return models.named(name.strip()).map(model -> model.name()).orElseThrow(() -> new InvalidCommandException(
                "model", "model is one of " + String.join(", ", models.offered()) + "; got '" + name + "'"));
    }

    private List<ReplayItem> items(Selection selection) {
        int limit = selection.limit() == null ? DEFAULT_LIMIT : selection.limit();
        if (limit < 1 || limit > ReplayItem.MAX_PER_REPLAY) {
            throw new InvalidCommandException("selection.limit", "limit is from 1 to "
                    + ReplayItem.MAX_PER_REPLAY + "; got " + limit);
        }
        boolean pastMessages = selection.from() != null || selection.to() != null
                || (selection.conversationIds() != null && !selection.conversationIds().isEmpty());
        if (selection.questions() != null) {
            if (pastMessages) {
                throw new InvalidCommandException("selection.questions", "replay either test questions or past "
                        + "messages (from, to, conversation_ids), not both");
            }
            return questions(selection.questions(), limit);
        }
        if (!pastMessages) {
            throw new InvalidCommandException("selection", "say what to replay: a period (from, to), "
                    + "conversation_ids, or questions");
        }
        Instant from = AuditTime.parse("selection.from", selection.from(), false);
        Instant to = AuditTime.parse("selection.to", selection.to(), true);
        if (from != null && to != null && !from.isBefore(to)) {
            throw new InvalidCommandException("selection.to", "to must be after from");
        }
        List<String> conversations = selection.conversationIds() == null ? List.of() : selection.conversationIds();
        if (conversations.size() > limit) {
            throw new InvalidCommandException("selection.conversation_ids", "at most " + limit
                    + " conversations; got " + conversations.size());
        }
        conversations.forEach(id -> {
            if (!Ids.wellFormed(id)) {
                throw new InvalidCommandException("selection.conversation_ids", "'" + id + "' is not a conversation id");
            }
        });
        ReplayCandidates found = Queries.await(queries.query(new FindReplayCandidates(from, to, conversations, limit),
                ReplayCandidates.class));
        if (found.items().isEmpty()) {
            throw new InvalidCommandException("selection", "the selection holds no customer message of this tenant");
        }
        if (found.more() > 0) {
            throw new InvalidCommandException("selection", "the selection holds " + (found.items().size()
                    + found.more()) + " customer messages, more than the limit " + limit
                    + ": narrow it or raise selection.limit (at most " + ReplayItem.MAX_PER_REPLAY + ")");
        }
        return found.items();
    }

    private static List<ReplayItem> questions(List<String> questions, int limit) {
        if (questions.isEmpty()) {
            throw new InvalidCommandException("selection.questions", "give at least one question");
        }
        if (questions.size() > limit) {
            throw new InvalidCommandException("selection.questions", "at most " + limit + " questions; got "
                    + questions.size());
        }
        List<ReplayItem> items = new ArrayList<>();
        for (int i = 0; i < questions.size(); i++) {
            String question = questions.get(i) == null ? "" : questions.get(i).strip();
            if (question.isEmpty() || question.length() > MAX_QUESTION) {
                throw new InvalidCommandException("selection.questions", "question " + (i + 1) + " is "
                        + (question.isEmpty() ? "empty" : "longer than " + MAX_QUESTION + " characters"));
            }
            items.add(new ReplayItem(null, null, null, question));
        }
        return items;
    }

    private static String describe(Selection selection, int count) {
        if (selection.questions() != null) {
            return count + " test question" + (count == 1 ? "" : "s");
        }
        List<String> parts = new ArrayList<>();
        parts.add(count + " customer message" + (count == 1 ? "" : "s"));
        if (selection.from() != null) {
            parts.add("from " + selection.from());
        }
        if (selection.to() != null) {
            parts.add("to " + selection.to());
        }
        if (selection.conversationIds() != null && !selection.conversationIds().isEmpty()) {
            parts.add("in " + selection.conversationIds().size() + " conversation"
                    + (selection.conversationIds().size() == 1 ? "" : "s"));
        }
        return String.join(" ", parts);
    }
}
