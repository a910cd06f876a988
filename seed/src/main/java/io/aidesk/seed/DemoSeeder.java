package io.aidesk.seed;

import com.fasterxml.jackson.databind.JsonNode;
import io.aidesk.api.conversation.Channels;
import io.aidesk.api.conversation.ConversationCommands.PostMessage;
import io.aidesk.api.conversation.ConversationCommands.StartConversation;
import io.aidesk.api.settings.AssistantSettingsId;
import io.aidesk.api.settings.AssistantSettingsUpdate;
import io.aidesk.api.settings.ChangeAssistantSettings;
import io.aidesk.api.tenancy.MetadataKeys;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * With aidesk.demo.seed (the demo profile), gives each demo tenant its settings, knowledge sources, CRM contacts and
 * conversations, through the app's own API on loopback and its commands, as a CRM and an admin would. Everything is
 * looked up before it is made, so a second run adds nothing and records no event.
 */
@Component
@ConditionalOnProperty(name = "aidesk.demo.seed", havingValue = "true")
class DemoSeeder implements ApplicationRunner {
    static final String SEED_USER = "aidesk-seed";
    private static final Logger log = LoggerFactory.getLogger(DemoSeeder.class);
    private static final Duration SYNC_WAIT = Duration.ofMinutes(5);
    private static final Duration REPLY_WAIT = Duration.ofSeconds(30);
    private static final Set<String> SYNC_PENDING = Set.of("queued", "syncing");

    private final CommandGateway commands;
    private final ObjectProvider<DemoTokens> tokens;
    private final Environment environment;

    DemoSeeder(CommandGateway commands, ObjectProvider<DemoTokens> tokens, Environment environment) {
        this.commands = commands;
        this.tokens = tokens;
        this.environment = environment;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (tokens.getIfAvailable() == null) {
            log.warn("the demo is not seeded: it calls AI Desk with tokens it signs, and with a JWKS only the CRM signs them");
            return;
        }
        try {
            seed();
        } catch (RuntimeException e) {
            // AI Desk itself works without the demo data: say what went wrong and keep running
            log.error("the demo tenants could not be seeded completely; fix the cause and restart to seed the rest", e);
        }
    }

    /** Seeds both tenants; sources first, since the conversations' answers come from the synced knowledge. */
    void seed() {
        String base = "http://127.0.0.1:" + environment.getRequiredProperty("local.server.port");
        Map<DemoTenant, DemoApi> apis = new LinkedHashMap<>();
        for (DemoTenant tenant : DemoTenant.ALL) {
            DemoApi api = new DemoApi(base, tokens.getObject().sign(tenant.id().value(), SEED_USER, List.of("admin", "service"),
                    Duration.ofHours(1)));
            apis.put(tenant, api);
            settings(tenant, api);
            sources(tenant, api, base);
        }
        apis.forEach(this::awaitSyncs);
        apis.forEach((tenant, api) -> conversations(tenant, api, contacts(tenant, api)));
        apis.forEach((tenant, api) -> log.info("demo tenant {} ({}): {} sources, {} contacts, {} conversations; users {}",
                tenant.id(), tenant.name(), api.get("/api/ai/kb/sources").path("items").size(),
                api.get("/api/crm/contacts").path("items").size(), tenant.conversations().size(),
                tenant.users().stream().map(user -> user.userId() + " (" + String.join(",", user.roles()) + ")").toList()));
    }

    /** The demo's settings, once: what an admin changed since is theirs, and a restart keeps it. */
    private void settings(DemoTenant tenant, DemoApi api) {
        long revision = api.get("/api/ai/settings").path("revision").asLong();
        if (revision > 0) {
            log.info("demo tenant {}: settings kept at revision {}", tenant.id(), revision);
            return;
        }
        AssistantSettingsUpdate update = commands.sendAndWait(command(tenant,
                new ChangeAssistantSettings(AssistantSettingsId.of(tenant.id()), tenant.settings())));
        log.info("demo tenant {}: settings at revision {}, {} change(s)", tenant.id(), update.revision(),
                update.changes().size());
    }

    /** The help center (crawled over HTTP from this app) and the file, registered unless they already are. */
    private void sources(DemoTenant tenant, DemoApi api, String base) {
        String siteUrl = base + tenant.sitePath();
        boolean hasSite = false;
        boolean hasFile = false;
        for (JsonNode source : api.get("/api/ai/kb/sources").path("items")) {
            String type = source.path("type").asText();
            String url = source.path("url").asText();
            if ("url".equals(type) && url.equals(siteUrl)) {
                hasSite = true;
            } else if ("url".equals(type) && url.contains(tenant.sitePath())) {
                // the app was started on another port: the old address no longer answers
                api.delete("/api/ai/kb/sources/" + source.path("id").asText());
                log.info("demo tenant {}: help center moved from {} to {}", tenant.id(), url, siteUrl);
            } else if ("file".equals(type) && tenant.fileName().equals(source.path("file_name").asText())) {
                hasFile = true;
            }
        }
        if (!hasSite) {
            api.post("/api/ai/kb/sources", Map.of("type", "url", "url", siteUrl, "config", Map.of("max_pages", 50,
                    "same_domain_only", true, "include_paths", List.of(tenant.sitePath() + "**"))));
            log.info("demo tenant {}: help center {} connected", tenant.id(), siteUrl);
        }
        if (!hasFile) {
            api.upload("/api/ai/kb/sources", tenant.fileName(), resource(tenant.fileResource()));
            log.info("demo tenant {}: {} uploaded", tenant.id(), tenant.fileName());
        }
    }

    private void awaitSyncs(DemoTenant tenant, DemoApi api) {
        Instant deadline = Instant.now().plus(SYNC_WAIT);
        while (true) {
            List<JsonNode> pending = new ArrayList<>();
            api.get("/api/ai/kb/sources").path("items").forEach(source -> {
                if (SYNC_PENDING.contains(source.path("status").asText())) {
                    pending.add(source);
                }
            });
            if (pending.isEmpty()) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                log.warn("demo tenant {}: {} source(s) still syncing after {}; the conversations start without them",
                        tenant.id(), pending.size(), SYNC_WAIT);
                return;
            }
            pause(Duration.ofMillis(300));
        }
    }

    /** @return the contacts' ids by email */
    private Map<String, String> contacts(DemoTenant tenant, DemoApi api) {
        Map<String, String> ids = new HashMap<>();
        api.get("/api/crm/contacts").path("items").forEach(contact ->
                ids.put(contact.path("email").asText(), contact.path("id").asText()));
        for (DemoContact contact : tenant.contacts()) {
            if (!ids.containsKey(contact.email())) {
                JsonNode created = api.post("/api/crm/contacts", Map.of("name", contact.name(), "email", contact.email(),
                        "phone", contact.phone(), "plan", contact.plan()));
                ids.put(contact.email(), created.path("id").asText());
            }
        }
        return ids;
    }

    /** Each customer message is posted once the autopilot has answered the one before (or a person has it). */
    private void conversations(DemoTenant tenant, DemoApi api, Map<String, String> contactIds) {
        for (DemoConversation conversation : tenant.conversations()) {
            String id = conversation.id(tenant.id());
            JsonNode existing = api.get("/api/ai/conversations/" + id);
            if (existing == null) {
                commands.sendAndWait(command(tenant, new StartConversation(id, conversation.channel(),
                        contactIds.get(conversation.contactEmail()), conversation.subject())));
            }
            for (int i = 0; i < conversation.messages().size(); i++) {
                String messageId = conversation.messageId(tenant.id(), i);
                if (existing != null && posted(existing, messageId)) {
                    continue;
                }
                commands.sendAndWait(command(tenant, new PostMessage(id, messageId, Channels.CUSTOMER,
                        conversation.messages().get(i))));
                awaitReply(tenant, api, id, messageId);
            }
        }
    }

    private static boolean posted(JsonNode conversation, String messageId) {
        for (JsonNode message : conversation.path("messages")) {
            if (messageId.equals(message.path("id").asText())) {
                return true;
            }
        }
        return false;
    }

    private void awaitReply(DemoTenant tenant, DemoApi api, String conversationId, String messageId) {
        Instant deadline = Instant.now().plus(REPLY_WAIT);
        while (Instant.now().isBefore(deadline)) {
            JsonNode conversation = api.get("/api/ai/conversations/" + conversationId);
            boolean after = false;
            for (JsonNode message : conversation.path("messages")) {
                if (after && Channels.ASSISTANT.equals(message.path("sender").asText())) {
                    return;
                }
                after |= messageId.equals(message.path("id").asText());
            }
            if ("waiting_human".equals(conversation.path("status").asText())) {
                return;
            }
            pause(Duration.ofMillis(200));
        }
        log.warn("demo tenant {}: no answer to message {} of conversation {} within {}", tenant.id(), messageId,
                conversationId, REPLY_WAIT);
    }

    private static CommandMessage<?> command(DemoTenant tenant, Object payload) {
        return GenericCommandMessage.asCommandMessage(payload)
                .andMetaData(Map.of(MetadataKeys.TENANT_ID, tenant.id().value(), MetadataKeys.USER_ID, SEED_USER));
    }

    private static byte[] resource(String name) {
        try (InputStream in = DemoSeeder.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the demo file " + name + " is missing from the seed module");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while seeding the demo", e);
        }
    }
}
