package io.aidesk.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An agent's work in the inbox through the API: a copilot draft sent as drafted, edited or discarded and rated, each
 * recorded on its run; a conversation taken over from the autopilot and handed back; a file citation that downloads
 * the cited file, for its own tenant only.
 */
class InboxWorkTest extends ApiTest {
    private static final byte[] FAQ = ("Our plumbers answer emergency calls around the clock on weekends. The call-out "
            + "fee for a weekend emergency is $120.\n").getBytes(StandardCharsets.UTF_8);

    private String tenant;
    private String admin;
    private String agent;
    private String service;
    private String contact;

    @BeforeEach
    void aTenantWithAnUploadedFaq() {
        tenant = newTenant();
        admin = token(tenant, "ana", "admin");
        agent = token(tenant, "bo", "agent");
        service = token(tenant, "crm", "service");
        Response uploaded = upload("/api/ai/kb/sources", admin, Map.of("type", "file"), "faq.txt", FAQ);
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
        String source = uploaded.json().path("id").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> "ok".equals(get("/api/ai/kb/sources/" + source, admin)
                .json().path("status").asText()));
        // the inbox is under test here, not the answerer's calibration: a one-file tenant's drafts are answered
        assertThat(put("/api/ai/settings", admin, "{\"confidence_threshold\": 0.5}").status()).isEqualTo(200);
        contact = call("POST", "/api/crm/contacts", service, "{\"name\": \"Ann Lee\"}", Map.of()).json().path("id")
                .asText();
    }

    private String conversation() {
        return call("POST", "/api/ai/conversations", service, "{\"channel\": \"web\", \"contact_id\": \"" + contact
                + "\"}", Map.of()).json().path("id").asText();
    }

    private JsonNode draft(String conversation, String question) {
        call("POST", "/api/ai/conversations/" + conversation + "/messages", service,
                "{\"sender\": \"customer\", \"text\": \"" + question + "\"}", Map.of());
        Response drafted = call("POST", "/api/ai/assist/draft-reply", agent, "{\"conversation_id\": \"" + conversation
                + "\", \"message\": \"" + question + "\"}", Map.of());
        assertThat(drafted.status()).as(drafted.toString()).isEqualTo(200);
        return drafted.json();
    }

    private List<JsonNode> agentMessages(String conversation) {
        JsonNode messages = get("/api/ai/conversations/" + conversation, agent).json().path("messages");
        List<JsonNode> found = new java.util.ArrayList<>();
        messages.forEach(m -> {
            if (m.path("sender").asText().equals("agent")) {
                found.add(m);
            }
        });
        return found;
    }

    @Test
    void aDraftSentAsDraftedEditedOrDiscardedIsRecordedOnItsRun() {
        String conversation = conversation();
        JsonNode first = draft(conversation, "How much is the weekend emergency call-out fee?");
        String run = first.path("run_id").asText();
        String path = "/api/ai/assist/drafts/" + run;
        Response sent = call("POST", path + "/send", agent, "{\"text\": \" " + first.path("reply").asText()
                .replace("\"", "\\\"") + " \"}", Map.of());
        assertThat(sent.status()).as(sent.toString()).isEqualTo(200);
        assertThat(sent.json().path("outcome").asText()).isEqualTo("sent_as_drafted");
        // sending again (a retried request) posts nothing twice
        assertThat(call("POST", path + "/send", agent, "{\"text\": \"" + first.path("reply").asText()
                .replace("\"", "\\\"") + "\"}", Map.of()).status()).isEqualTo(200);
        assertThat(agentMessages(conversation)).hasSize(1);
        assertThat(agentMessages(conversation).get(0).path("text").asText()).isEqualTo(first.path("reply").asText());
        Response rated = call("POST", path + "/rating", agent, "{\"helpful\": true, \"reason\": \"spot on\"}", Map.of());
        assertThat(rated.status()).as(rated.toString()).isEqualTo(200);
        JsonNode feedback = get("/api/ai/runs/" + run, admin).json().path("draft_feedback");
        assertThat(feedback.path("outcome").asText()).isEqualTo("sent_as_drafted");
        assertThat(feedback.path("reviewed_by").asText()).isEqualTo("bo");
        assertThat(feedback.path("helpful").asBoolean()).isTrue();
        assertThat(feedback.path("rated_by").asText()).isEqualTo("bo");
        // a draft sent is not discarded afterwards
        Response late = call("POST", path + "/discard", agent, null, Map.of());
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.json().path("detail").asText()).contains("sent already");

        JsonNode second = draft(conversation, "And is it the same at night?");
        Response edited = call("POST", "/api/ai/assist/drafts/" + second.path("run_id").asText() + "/send", agent,
                "{\"text\": \"Yes, the weekend fee is $120 at any hour. Anything else?\"}", Map.of());
        assertThat(edited.json().path("outcome").asText()).isEqualTo("edited");
        assertThat(agentMessages(conversation)).hasSize(2);

        JsonNode third = draft(conversation, "Thanks!");
        String thirdPath = "/api/ai/assist/drafts/" + third.path("run_id").asText();
        Response discarded = call("POST", thirdPath + "/discard", agent, "{\"reason\": \"not needed\"}", Map.of());
        assertThat(discarded.json().path("outcome").asText()).isEqualTo("discarded");
        assertThat(call("POST", thirdPath + "/send", agent, "{\"text\": \"You are welcome\"}", Map.of()).status())
                .isEqualTo(409);
        assertThat(call("POST", thirdPath + "/rating", agent, "{\"helpful\": false, \"reason\": \"too chatty\"}",
                Map.of()).status()).isEqualTo(200);
        JsonNode thirdFeedback = get("/api/ai/runs/" + third.path("run_id").asText(), admin).json()
                .path("draft_feedback");
        assertThat(thirdFeedback.path("outcome").asText()).isEqualTo("discarded");
        assertThat(thirdFeedback.path("helpful").asBoolean()).isFalse();
        assertThat(agentMessages(conversation)).hasSize(2);

        // bad input and other tenants change nothing
        assertThat(call("POST", thirdPath + "/rating", agent, "{\"reason\": \"?\"}", Map.of()).json().path("field")
                .asText()).isEqualTo("helpful");
        assertThat(call("POST", path + "/send", agent, "{\"text\": \"   \"}", Map.of()).status()).isEqualTo(400);
        String stranger = token(newTenant(), "olga", "agent");
        assertThat(call("POST", path + "/rating", stranger, "{\"helpful\": false}", Map.of()).status()).isEqualTo(404);
        assertThat(get("/api/ai/runs/" + run, admin).json().path("draft_feedback").path("helpful").asBoolean()).isTrue();
    }

    @Test
    void anAgentTakesAConversationFromTheAutopilotAndHandsItBack() {
        assertThat(put("/api/ai/settings", admin, "{\"autopilot_enabled\": true}").status()).isEqualTo(200);
        String conversation = conversation();
        assertThat(call("POST", "/api/ai/conversations/" + conversation + "/take-over", agent, null, Map.of()).status())
                .isEqualTo(204);
        assertThat(get("/api/ai/conversations/" + conversation, agent).json().path("status").asText())
                .isEqualTo("waiting_human");
        Response twice = call("POST", "/api/ai/conversations/" + conversation + "/take-over", agent, null, Map.of());
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.json().path("detail").asText()).contains("a person has this conversation");
        String message = call("POST", "/api/ai/conversations/" + conversation + "/messages", service,
                "{\"sender\": \"customer\", \"text\": \"Is the weekend fee $120?\"}", Map.of()).json().path("id")
                .asText();
        // the autopilot leaves it to the person
        Response refused = call("POST", "/api/ai/agent/handle-message", service, "{\"conversation_id\": \""
                + conversation + "\", \"message_id\": \"" + message + "\"}", Map.of());
        assertThat(refused.status()).isEqualTo(409);
        assertThat(call("POST", "/api/ai/conversations/" + conversation + "/hand-back", agent, null, Map.of()).status())
                .isEqualTo(204);
        assertThat(get("/api/ai/conversations/" + conversation, agent).json().path("status").asText())
                .isNotEqualTo("waiting_human");
        assertThat(call("POST", "/api/ai/conversations/" + conversation + "/take-over",
                token(newTenant(), "olga", "agent"), null, Map.of()).status()).isEqualTo(404);
    }

    @Test
    void aFileCitationDownloadsTheCitedFileForItsTenantOnly() {
        JsonNode draft = draft(conversation(), "How much is the weekend emergency call-out fee?");
        JsonNode citation = draft.path("citations").get(0);
        assertThat(citation).as(draft.toString()).isNotNull();
        assertThat(citation.path("url").asText()).isEqualTo("file:faq.txt");
        String path = "/api/ai/kb/chunks/" + citation.path("chunk_id").asText() + "/file";
        Response file = get(path, agent);
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.body().getBytes(StandardCharsets.UTF_8)).isEqualTo(FAQ);
        assertThat(file.headers().firstValue("Content-Disposition").orElse("")).contains("faq.txt");
        assertThat(file.headers().firstValue("Content-Security-Policy").orElse("")).isEqualTo("sandbox");
        Response foreign = get(path, token(newTenant(), "olga", "agent"));
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.contentType()).startsWith("application/problem+json");
    }
}
