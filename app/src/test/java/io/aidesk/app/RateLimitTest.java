package io.aidesk.app;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test profile's budgets: 20 sync requests, 30 agent runs and 20 replays a minute per tenant. A request is counted by the route
 * it reaches, however its path is spelled, and no minute admits more than the stated rate, the first one included.
 */
class RateLimitTest extends ApiTest {
    private static final int SYNCS_PER_MINUTE = 20;
    private static final int RUNS_PER_MINUTE = 30;
    private static final int REPLAYS_PER_MINUTE = 20;

    /** One way of calling a limited route: what it answers when admitted (the ids are unknown, the body incomplete). */
    private record Spelling(String path, String body, int admitted) {
    }

    private Response send(String token, Spelling spelling) {
        return call("POST", spelling.path(), token, spelling.body(), Map.of());
    }

    /** Sends until refused; every answer before the refusal is the admitted one, and there are at most {@code max}. */
    private Response exhaust(String token, Spelling spelling, int max) {
        for (int i = 0; i <= max; i++) {
            Response answer = send(token, spelling);
            if (answer.status() == 429) {
                return answer;
            }
            assertThat(answer.status()).as(spelling.path() + ": " + answer).isEqualTo(spelling.admitted());
        }
        throw new AssertionError(spelling.path() + " admitted more than " + max + " requests in a row");
    }

    private void assertSameBucket(Spelling plain, Spelling encoded, int perMinute) {
        String once = token(newTenant(), "ana", "admin");
        exhaust(once, plain, perMinute);
        Response limited = send(once, encoded);
        assertThat(limited.status()).as(encoded.path() + " once " + plain.path() + " is limited: " + limited)
                .isEqualTo(429);
        assertThat(limited.contentType()).startsWith("application/problem+json");
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();

        String other = token(newTenant(), "ana", "admin");
        assertThat(send(other, encoded).status()).as(encoded.path() + " reaches the handler").isEqualTo(encoded.admitted());
        exhaust(other, encoded, perMinute);
        assertThat(send(other, plain).status()).as(plain.path() + " once " + encoded.path() + " is limited")
                .isEqualTo(429);
    }

    @Test
    void everySpellingOfADraftCountsAgainstTheSameBudget() {
        String body = "{\"conversation_id\": \"" + UUID.randomUUID() + "\", \"message\": \"hello\"}";
        Spelling plain = new Spelling("/api/ai/assist/draft-reply", body, 404);
        for (String path : List.of("/api/ai/assist/draft%2Dreply", "/api/ai/assist/%64raft-reply",
                "/api/ai/assist/dr%61ft-r%65ply", "/api/ai/%61ssist/draft-reply")) {
            assertSameBucket(plain, new Spelling(path, body, 404), RUNS_PER_MINUTE);
        }
    }

    @Test
    void everySpellingOfASyncOrANewSourceCountsAgainstTheSameBudget() {
        String id = UUID.randomUUID().toString();
        Spelling plain = new Spelling("/api/ai/kb/sources/" + id + "/sync", null, 404);
        for (Spelling encoded : List.of(new Spelling("/api/ai/kb/sources/" + id + "/s%79nc", null, 404),
                new Spelling("/api/ai/kb/%73ources/" + id + "/sync", null, 404),
                new Spelling("/api/ai/kb/%73ources", "{}", 400),
                new Spelling("/api/ai/kb/sources", "{}", 400))) {
            assertSameBucket(plain, encoded, SYNCS_PER_MINUTE);
        }
    }

    @Test
    void anEncodedSpellingNeedsTheRoleThePlainOneNeeds() {
        String agent = token(newTenant(), "bo", "agent");
        Response refused = call("POST", "/api/ai/kb/%73ources", agent, "{\"type\": \"url\", \"url\": \"https://acme.test/\"}",
                Map.of());
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(call("POST", "/api/ai/kb/sources/" + UUID.randomUUID() + "/s%79nc", agent, null, Map.of()).status())
                .isEqualTo(403);
    }

    @Test
    void noMinuteAdmitsMoreThanTheStatedRateTheFirstOneIncluded() throws InterruptedException {
        String admin = token(newTenant(), "ana", "admin");
        Spelling sync = new Spelling("/api/ai/kb/sources/" + UUID.randomUUID() + "/sync", null, 404);
        long started = System.nanoTime();
        int admitted = 0;
        int refused = 0;
        // a flood for a fifth of a minute, every request of it inside the tenant's first minute
        while (System.nanoTime() - started < 12_000_000_000L) {
            Response answer = send(admin, sync);
            if (answer.status() == 429) {
                refused++;
            } else {
                assertThat(answer.status()).as(answer.toString()).isEqualTo(404);
                admitted++;
            }
            Thread.sleep(20);
        }

        assertThat(refused).as("the flood is refused").isPositive();
        assertThat(admitted).as("admitted within the first minute").isLessThanOrEqualTo(SYNCS_PER_MINUTE);
        assertThat(admitted).as("a quiet tenant may send its whole minute at once").isEqualTo(SYNCS_PER_MINUTE);
    }

    @Test
    void replaysHaveABudgetOfTheirOwnPerTenant() {
        // an empty selection is refused by the handler: only the budget is under test
        Spelling replay = new Spelling("/api/ai/replays", "{\"selection\": {}}", 400);
        String once = token(newTenant(), "ana", "admin");
        Response limited = exhaust(once, replay, REPLAYS_PER_MINUTE);
        assertThat(limited.json().path("detail").asText()).contains(REPLAYS_PER_MINUTE + " replays a minute");
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        assertThat(send(token(newTenant(), "ana", "admin"), replay).status()).isEqualTo(400);
    }
}
