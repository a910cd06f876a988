package io.aidesk.command.knowledge;

import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.knowledge.CrawlConfig;
import io.aidesk.api.StateConflictException;
import io.aidesk.api.knowledge.KnowledgeCommands.CancelSync;
import io.aidesk.api.knowledge.KnowledgeCommands.ChangeSourceConfig;
import io.aidesk.api.knowledge.KnowledgeCommands.DeleteSource;
import io.aidesk.api.knowledge.KnowledgeCommands.RegisterSource;
import io.aidesk.api.knowledge.KnowledgeCommands.RequestSync;
import io.aidesk.api.knowledge.KnowledgeQueries.Schedule;
import io.aidesk.api.knowledge.KnowledgeQueries.SourceStats;
import io.aidesk.api.knowledge.KnowledgeQueries.SourceView;
import io.aidesk.api.knowledge.SourceSecrets;
import io.aidesk.api.knowledge.SourceStatus;
import io.aidesk.api.knowledge.SourceType;
import io.aidesk.api.knowledge.UrlCredentials;
import io.aidesk.api.tenancy.Caller;
import io.aidesk.api.tenancy.Ids;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Admins connect URL sources, ask for syncs and delete sources. File uploads are taken by ingestion's controller. */
@RestController
@RequestMapping("/api/ai/kb/sources")
class KnowledgeSourceController {

    private final CommandGateway commands;
    private final SourceSecrets secrets;
    private final SourceDuplicates duplicates;

    KnowledgeSourceController(CommandGateway commands, SourceSecrets secrets, SourceDuplicates duplicates) {
        this.commands = commands;
        this.secrets = secrets;
        this.duplicates = duplicates;
    }

    record NewUrlSource(String type, String url, CrawlConfig config) {
    }

    record ConfigChange(CrawlConfig config) {
    }

    record SyncQueued(String sourceId, String syncId, String status) {
    }

    /**
     * 201 with the source; its first sync is already queued. Credentials in the URL ({@code https://user:pass@…}) are
     * kept as the source's secret before the source exists, so its first sync has them; the source's URL has none.
     * 409 when the tenant already has a source of the same start page and path rules.
     */
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<SourceView> register(@RequestBody NewUrlSource body, Caller caller) {
        if (!SourceType.URL.equals(body.type())) {
            throw new InvalidCommandException("type", SourceType.FILE.equals(body.type())
                    ? "upload a file as multipart/form-data with type=file and a 'file' part"
                    : "type is 'url' (JSON) or 'file' (multipart upload), got '" + body.type() + "'");
        }
        String sourceId = UUID.randomUUID().toString();
        CrawlConfig config = body.config() == null ? CrawlConfig.defaults() : body.config();
        UrlCredentials.Split url = UrlCredentials.split(body.url());
        // refused before the secret is kept: a bad URL leaves nothing behind
        String cleanUrl = SourceRules.url(url.url());
        String tenant = caller.tenantId().value();
        duplicates.registerOnce(tenant, cleanUrl, config, () -> {
            if (url.credentials() != null) {
                secrets.keep(tenant, sourceId, url.credentials());
            }
            try {
                return commands.sendAndWait(new RegisterSource(sourceId, SourceType.URL, cleanUrl, null, null, config,
                        UUID.randomUUID().toString()));
            } catch (RuntimeException e) {
                // a refused source leaves no secret behind
                if (url.credentials() != null) {
                    secrets.forget(tenant, sourceId);
                }
                throw e;
            }
        });
        SourceView created = new SourceView(sourceId, SourceType.URL, cleanUrl, null, null, SourceStatus.QUEUED,
                null, config, Instant.now(), new SourceStats(0, 0, null, null, null, List.of()),
                new Schedule(config.syncEvery(), null, null, 0, 1));
        return ResponseEntity.created(URI.create("/api/ai/kb/sources/" + sourceId)).body(created);
    }

    @PostMapping("/{id}/sync")
    @ResponseStatus(HttpStatus.ACCEPTED)
    SyncQueued sync(@PathVariable String id, Caller caller) {
        String syncId = commands.sendAndWait(new RequestSync(known(id), UUID.randomUUID().toString()));
        return new SyncQueued(id, syncId, SourceStatus.QUEUED);
    }

    record SyncCancelled(String sourceId, String syncId, String status) {
    }

    /** 200 with the sync stopped; 409 when none is queued or running. A running sync stops within seconds. */
    @PostMapping("/{id}/cancel")
    SyncCancelled cancel(@PathVariable String id, Caller caller) {
        String syncId = commands.sendAndWait(new CancelSync(known(id)));
        if (syncId == null) {
            throw new StateConflictException("the source has no sync queued or running");
        }
        return new SyncCancelled(id, syncId, SourceStatus.CANCELLED);
    }

    @PatchMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Void> changeConfig(@PathVariable String id, @RequestBody ConfigChange body, Caller caller) {
        if (body.config() == null) {
            throw new InvalidCommandException("config", "send the new config");
        }
        commands.sendAndWait(new ChangeSourceConfig(known(id), body.config()));
        return ResponseEntity.noContent().build();
    }

    /** 204; its documents and chunks leave retrieval in the same transaction. */
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String id, Caller caller) {
        commands.sendAndWait(new DeleteSource(known(id)));
    }

    private static String known(String id) {
        return Ids.known(id, "knowledge source");
    }
}
