package io.aidesk.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.aidesk.ingestion.LoopbackSite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Content gaps on a real help site synced over HTTP: five customers asking in their own words for something the site
 * does not cover make one gap, beside the other unanswered questions; once a page that answers it is synced and a
 * later run answers it, the gap is gone (and listed as answered when asked for).
 */
class ContentGapsTest extends ApiTest {
    private static final List<String> SOLAR = List.of("Do you install solar panels?",
            "Can you install solar panels on my house?", "Could you install solar panels for me?",
            "Do you do solar panel installation?", "Do you install solar panels on roofs?");

    private final LoopbackSite site = new LoopbackSite();
    private String admin;
    private String agent;
    private String service;
    private String contact;

    @AfterEach
    void stopSite() {
        site.close();
    }

    private String draft(String question) {
        String conversation = call("POST", "/api/ai/conversations", service, "{\"channel\": \"web\", \"contact_id\": \""
                + contact + "\"}", Map.of()).json().path("id").asText();
        call("POST", "/api/ai/conversations/" + conversation + "/messages", service, "{\"sender\": \"customer\", "
                + "\"text\": \"" + question + "\"}", Map.of());
        Response drafted = call("POST", "/api/ai/assist/draft-reply", agent, "{\"conversation_id\": \"" + conversation
                + "\", \"message\": \"" + question + "\"}", Map.of());
        assertThat(drafted.status()).as(drafted.toString()).isEqualTo(200);
        return drafted.json().path("run_id").asText();
    }

    private void sync(String source) {
        await().atMost(Duration.ofSeconds(60)).until(() -> "ok".equals(get("/api/ai/kb/sources/" + source, admin)
                .json().path("status").asText()));
    }

    private JsonNode gaps(String query) {
        Response answer = get("/api/ai/insights/gaps" + query, admin);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json();
    }

    @Test
    void fiveParaphrasesMakeOneGapThatClosesOnceTheSiteAnswersIt() {
        String tenant = newTenant();
        admin = token(tenant, "ana", "admin");
        agent = token(tenant, "bo", "agent");
        service = token(tenant, "crm", "service");
        site.page("/", LoopbackSite.Response.html(LoopbackSite.helpPage("Help center",
                        "<p>Acme fixes leaks, unblocks drains and services boilers.</p>"
                                + "<a href=\"/hours\">Hours</a> <a href=\"/prices\">Prices</a>")))
                .page("/hours", LoopbackSite.Response.html(LoopbackSite.helpPage("Opening hours",
                        "<p>Our plumbers work Monday to Friday from 8am to 6pm.</p>")))
                .page("/prices", LoopbackSite.Response.html(LoopbackSite.helpPage("Prices",
                        "<p>Drain cleaning costs $89 per drain. A boiler service costs $120.</p>")));
        String source = call("POST", "/api/ai/kb/sources", admin, "{\"type\": \"url\", \"url\": \"" + site.url("/")
                + "\", \"config\": {\"max_pages\": 10}}", Map.of()).json().path("id").asText();
        sync(source);
        assertThat(put("/api/ai/settings", admin, "{\"log_content\": \"full\"}").status()).isEqualTo(200);
        contact = call("POST", "/api/crm/contacts", service, "{\"name\": \"Ann Lee\"}", Map.of()).json().path("id")
                .asText();

        List<String> solarRuns = new ArrayList<>();
        SOLAR.forEach(question -> solarRuns.add(draft(question)));
        draft("Can I bring my dog to your office?");
        draft("Do you sell gift cards?");
        draft("How much does drain cleaning cost?");

        JsonNode open = gaps("");
        JsonNode solar = open.path("gaps").get(0);
        assertThat(solar.path("asked").asInt()).as(open.toString()).isEqualTo(5);
        assertThat(solar.path("run_ids")).extracting(JsonNode::asText).containsExactlyInAnyOrderElementsOf(solarRuns);
        assertThat(solar.path("examples")).hasSize(5);
        assertThat(solar.path("examples").get(0).path("question").asText()).isEqualTo(SOLAR.get(4));
        assertThat(solar.path("closest_pages")).isNotEmpty();
        assertThat(solar.path("answered_by_run").isNull()).isTrue();
        // the dog and the gift cards are gaps of their own; the drain price is answered and is none
        assertThat(open.path("gaps")).hasSize(3);
        open.path("gaps").forEach(gap -> assertThat(gap.path("examples").toString()).doesNotContain("drain"));
        assertThat(open.path("considered").asInt()).isEqualTo(7);

        site.page("/solar", LoopbackSite.Response.html(LoopbackSite.helpPage("Solar panels",
                "<p>Yes, we install solar panels on houses and flat roofs. An installation takes two days and costs "
                        + "from $4,000.</p>")))
                .page("/", LoopbackSite.Response.html(LoopbackSite.helpPage("Help center",
                        "<p>Acme fixes leaks, unblocks drains and services boilers.</p><a href=\"/hours\">Hours</a> "
                                + "<a href=\"/prices\">Prices</a> <a href=\"/solar\">Solar panels</a>")));
        assertThat(call("POST", "/api/ai/kb/sources/" + source + "/sync", admin, null, Map.of()).status())
                .isEqualTo(202);
        sync(source);
        String answered = draft("Do you install solar panels on houses?");
        JsonNode run = get("/api/ai/runs/" + answered, admin).json();
        assertThat(run.path("confidence").asDouble()).as(run.toString()).isGreaterThanOrEqualTo(0.75);

        JsonNode after = gaps("");
        assertThat(after.path("gaps")).hasSize(2);
        after.path("gaps").forEach(gap -> assertThat(gap.path("run_ids").toString()).doesNotContain(solarRuns.get(0)));
        JsonNode withAnswered = gaps("?include=answered");
        JsonNode closed = withAnswered.path("gaps").get(withAnswered.path("gaps").size() - 1);
        assertThat(closed.path("asked").asInt()).isEqualTo(5);
        assertThat(closed.path("answered_by_run").asText()).isEqualTo(answered);

        assertThat(get("/api/ai/insights/gaps", agent).status()).isEqualTo(403);
        Response bad = get("/api/ai/insights/gaps?include=everything", admin);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("field").asText()).isEqualTo("include");
        assertThat(get("/api/ai/insights/gaps", token(newTenant(), "eve", "admin")).json().path("gaps")).isEmpty();
    }
}
