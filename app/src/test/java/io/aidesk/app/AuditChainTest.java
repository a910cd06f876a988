package io.aidesk.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.aidesk.api.settings.AssistantSettingsId;
import io.aidesk.api.tenancy.TenantId;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The tenants' hash chains over the event store: a verified chain, then the store edited behind the application's
 * back (as the owner role, since the application role cannot) and the verification naming the event that changed.
 */
class AuditChainTest extends ApiTest {
    private static final String VERIFY = "/api/ai/audit/verify";

    @Autowired
    JdbcTemplate jdbc;

    @Value("${spring.flyway.url}")
    String url;
    @Value("${spring.flyway.user}")
    String owner;
    @Value("${spring.flyway.password}")
    String ownerPassword;

    /** The owner of the tables: what someone with the database's own credentials could do. */
    private JdbcTemplate asOwner() {
        return new JdbcTemplate(new DriverManagerDataSource(url, owner, ownerPassword));
    }

    /** A tenant with settings changed three times and a conversation with two messages, all chained. */
    private String tenantWithEvents() {
        String tenant = newTenant();
        String admin = token(tenant, "ana", "admin");
        String service = token(tenant, "crm", "service");
        for (String change : List.of("{\"confidence_threshold\": 0.8}", "{\"confidence_threshold\": 0.85}",
                "{\"allowed_tools\": [\"create_ticket\"]}")) {
            assertThat(put("/api/ai/settings", admin, change).status()).isEqualTo(200);
        }
        Response conversation = call("POST", "/api/ai/conversations", service,
                "{\"channel\": \"web\", \"contact_id\": \"c-1\", \"subject\": \"Leak\"}", Map.of());
        assertThat(conversation.status()).as(conversation.toString()).isEqualTo(201);
        String id = conversation.json().path("id").asText();
        for (String message : List.of("{\"sender\": \"customer\", \"text\": \"My sink leaks\"}",
                "{\"sender\": \"agent\", \"text\": \"We are on it\"}")) {
            assertThat(call("POST", "/api/ai/conversations/" + id + "/messages", service, message, Map.of()).status())
                    .isEqualTo(201);
        }
        assertThat(stored(tenant)).isGreaterThanOrEqualTo(6);
        awaitChained(tenant);
        return tenant;
    }

    /** How many events the store holds for the tenant, by the tenant in their metadata. */
    private long stored(String tenant) {
        return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry "
                + "WHERE convert_from(meta_data, 'UTF8')::jsonb ->> 'tenant_id' = ?", Long.class, tenant);
    }

    private JsonNode verify(String tenant) {
        Response answer = get(VERIFY, token(tenant, "au", "auditor"));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json();
    }

    private void awaitChained(String tenant) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> verify(tenant).path("events").asLong() >= stored(tenant));
    }

    /** The tenant's chain as stored: position, event_identifier, link_hash. */
    private List<Map<String, Object>> chain(String tenant) {
        return asOwner().queryForList("SELECT position, event_identifier, link_hash FROM audit_chain "
                + "WHERE tenant_id = ? ORDER BY position", tenant);
    }

    private static long position(List<Map<String, Object>> chain, String eventIdentifier) {
        return chain.stream().filter(row -> row.get("event_identifier").equals(eventIdentifier))
                .mapToLong(row -> ((Number) row.get("position")).longValue()).findFirst().orElseThrow();
    }

    private static String link(List<Map<String, Object>> chain, long position) {
        return (String) chain.get((int) position - 1).get("link_hash");
    }

    /** The settings event with the given sequence number: which one the tests edit. */
    private Map<String, Object> settingsEvent(String tenant, long sequence) {
        return jdbc.queryForMap("SELECT event_identifier, aggregate_identifier, sequence_number FROM domain_event_entry "
                        + "WHERE aggregate_identifier = ? AND sequence_number = ?",
                AssistantSettingsId.of(new TenantId(tenant)), sequence);
    }

    @Test
    void aTenantsChainVerifiesAndAChangedPayloadBreaksItAtThatEvent() {
        String tenant = tenantWithEvents();
        String other = tenantWithEvents();

        JsonNode verified = verify(tenant);
        List<Map<String, Object>> chain = chain(tenant);
        assertThat(verified.path("ok").asBoolean()).as(verified.toString()).isTrue();
        assertThat(verified.path("events").asLong()).isEqualTo(stored(tenant)).isEqualTo(chain.size());
        assertThat(verified.path("head").asText()).matches("[0-9a-f]{64}").isEqualTo(link(chain, chain.size()));
        assertThat(verified.has("broken_at")).isFalse();
        assertThat(chain).extracting(row -> ((Number) row.get("position")).longValue())
                .containsExactlyElementsOf(LongStream.rangeClosed(1, chain.size()).boxed().toList());

        // the second change (0.8 → 0.85) says 0.95 from now on
        Map<String, Object> event = settingsEvent(tenant, 1);
        String eventIdentifier = (String) event.get("event_identifier");
        assertThat(asOwner().update("UPDATE domain_event_entry SET payload = convert_to(replace(convert_from(payload, "
                + "'UTF8'), '0.85', '0.95'), 'UTF8') WHERE event_identifier = ? AND position('0.85' in "
                + "convert_from(payload, 'UTF8')) > 0", eventIdentifier)).isEqualTo(1);

        long at = position(chain, eventIdentifier);
        JsonNode broken = verify(tenant);
        assertThat(broken.path("ok").asBoolean()).as(broken.toString()).isFalse();
        assertThat(broken.path("events").asLong()).as("verified before the break").isEqualTo(at - 1);
        assertThat(at).as("the first change comes before it").isGreaterThan(1);
        assertThat(broken.path("head").asText()).as("the last good link").isEqualTo(link(chain, at - 1));
        JsonNode brokenAt = broken.path("broken_at");
        assertThat(brokenAt.path("position").asLong()).isEqualTo(at);
        assertThat(brokenAt.path("event_identifier").asText()).isEqualTo(eventIdentifier);
        assertThat(brokenAt.path("aggregate_identifier").asText()).isEqualTo(event.get("aggregate_identifier"));
        assertThat(brokenAt.path("sequence_number").asLong()).isEqualTo(1);
        assertThat(brokenAt.path("type").asText()).isEqualTo("AssistantSettingsChanged");
        assertThat(brokenAt.path("reason").asText()).isEqualTo("payload or metadata changed");

        JsonNode untouched = verify(other);
        assertThat(untouched.path("ok").asBoolean()).as(untouched.toString()).isTrue();
        assertThat(untouched.path("events").asLong()).as("only its own events").isEqualTo(stored(other))
                .isEqualTo(chain(other).size());
        assertThat(untouched.path("head").asText()).isEqualTo(link(chain(other), chain(other).size()));
    }

    @Test
    void changedMetadataADeletedEventAndAChangedLinkEachBreakTheChainWhereTheyAre() {
        String relabelled = tenantWithEvents();
        String eventIdentifier = (String) settingsEvent(relabelled, 0).get("event_identifier");
        assertThat(asOwner().update("UPDATE domain_event_entry SET meta_data = convert_to(replace(convert_from("
                + "meta_data, 'UTF8'), '\"ana\"', '\"mallory\"'), 'UTF8') WHERE event_identifier = ? AND "
                + "position('\"ana\"' in convert_from(meta_data, 'UTF8')) > 0", eventIdentifier)).isEqualTo(1);
        JsonNode relabel = verify(relabelled);
        assertThat(relabel.path("ok").asBoolean()).as(relabel.toString()).isFalse();
        assertThat(relabel.path("broken_at").path("event_identifier").asText()).isEqualTo(eventIdentifier);
        assertThat(relabel.path("broken_at").path("position").asLong())
                .isEqualTo(position(chain(relabelled), eventIdentifier));
        assertThat(relabel.path("broken_at").path("reason").asText()).isEqualTo("payload or metadata changed");

        String deleted = tenantWithEvents();
        List<Map<String, Object>> chain = chain(deleted);
        String gone = (String) chain.get(2).get("event_identifier");
        assertThat(asOwner().update("DELETE FROM domain_event_entry WHERE event_identifier = ?", gone)).isEqualTo(1);
        JsonNode missing = verify(deleted);
        assertThat(missing.path("ok").asBoolean()).as(missing.toString()).isFalse();
        assertThat(missing.path("events").asLong()).isEqualTo(2);
        assertThat(missing.path("head").asText()).isEqualTo(link(chain, 2));
        assertThat(missing.path("broken_at").path("position").asLong()).isEqualTo(3);
        assertThat(missing.path("broken_at").path("event_identifier").asText()).isEqualTo(gone);
        assertThat(missing.path("broken_at").path("reason").asText()).isEqualTo("event missing");

        String relinked = tenantWithEvents();
        assertThat(asOwner().update("UPDATE audit_chain SET link_hash = ? WHERE tenant_id = ? AND position = 2",
                "a".repeat(64), relinked)).isEqualTo(1);
        JsonNode link = verify(relinked);
        assertThat(link.path("ok").asBoolean()).as(link.toString()).isFalse();
        assertThat(link.path("events").asLong()).isEqualTo(1);
        assertThat(link.path("broken_at").path("position").asLong()).isEqualTo(2);
        assertThat(link.path("broken_at").path("reason").asText()).isEqualTo("link changed");
    }

    @Test
    void anEventOfTheTenantStoredBelowTheHeadButNotChainedBreaksTheChain() {
        String tenant = tenantWithEvents();
        List<Map<String, Object>> chain = chain(tenant);
        String copied = (String) settingsEvent(tenant, 2).get("event_identifier");
        String forged = UUID.randomUUID().toString();
        String aggregate = UUID.randomUUID().toString();
        // an index below every real one: older than the head, so no tracking processor will ever read it
        long globalIndex = -ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2);
        assertThat(asOwner().update("""
                INSERT INTO domain_event_entry (global_index, aggregate_identifier, sequence_number, type,
                    event_identifier, meta_data, payload, payload_revision, payload_type, time_stamp)
                SELECT ?, ?, 0, type, ?, meta_data, payload, payload_revision, payload_type, time_stamp
                FROM domain_event_entry WHERE event_identifier = ?
                """, globalIndex, aggregate, forged, copied)).isEqualTo(1);

        JsonNode broken = verify(tenant);
        assertThat(broken.path("ok").asBoolean()).as(broken.toString()).isFalse();
        assertThat(broken.path("events").asLong()).as("the chain itself holds").isEqualTo(chain.size());
        assertThat(broken.path("head").asText()).isEqualTo(link(chain, chain.size()));
        JsonNode brokenAt = broken.path("broken_at");
        assertThat(brokenAt.path("position").isNull()).as(broken.toString()).isTrue();
        assertThat(brokenAt.path("event_identifier").asText()).isEqualTo(forged);
        assertThat(brokenAt.path("aggregate_identifier").asText()).isEqualTo(aggregate);
        assertThat(brokenAt.path("sequence_number").asLong()).isZero();
        assertThat(brokenAt.path("type").asText()).isEqualTo("AssistantSettingsChanged");
        assertThat(brokenAt.path("reason").asText()).isEqualTo("event not in chain");
    }

    /** The statement fails as the application role for want of the privilege (SQLSTATE 42501), not for its rows. */
    private void refused(String sql, String argument) {
        String table = sql.replaceFirst("^(UPDATE|DELETE FROM) (\\w+).*", "$2");
        assertThatThrownBy(() -> jdbc.update(sql, argument)).as(sql).isInstanceOf(DataAccessException.class)
                .satisfies(e -> {
                    Throwable cause = ((DataAccessException) e).getMostSpecificCause();
                    assertThat(cause).isInstanceOf(SQLException.class)
                            .hasMessageContaining("permission denied for table " + table);
                    assertThat(((SQLException) cause).getSQLState()).isEqualTo("42501");
                });
    }

    @Test
    void theApplicationRoleCanNeitherChangeNorDeleteEventsOrTheChain() {
        String tenant = tenantWithEvents();
        String eventIdentifier = (String) settingsEvent(tenant, 0).get("event_identifier");

        refused("UPDATE domain_event_entry SET payload = payload WHERE event_identifier = ?", eventIdentifier);
        refused("DELETE FROM domain_event_entry WHERE event_identifier = ?", eventIdentifier);
        refused("UPDATE audit_chain SET link_hash = event_hash WHERE tenant_id = ?", tenant);
        refused("DELETE FROM audit_chain WHERE tenant_id = ?", tenant);

        JsonNode verified = verify(tenant);
        assertThat(verified.path("ok").asBoolean()).as(verified.toString()).isTrue();
        assertThat(verified.path("events").asLong()).isEqualTo(stored(tenant));
    }

    @Test
    void auditorsAndAdminsVerifyTheirOwnTenantOthersMayNot() {
        String tenant = newTenant();
        Response empty = get(VERIFY, token(tenant, "ana", "admin"));
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.json().path("ok").asBoolean()).isTrue();
        assertThat(empty.json().path("events").asLong()).isZero();
        assertThat(empty.json().path("head").isNull()).as(empty.toString()).isTrue();
        assertThat(empty.json().has("broken_at")).isFalse();

        for (String role : List.of("agent", "service")) {
            Response refused = get(VERIFY, token(tenant, "bo", role));
            assertThat(refused.status()).as(role).isEqualTo(403);
            assertThat(refused.contentType()).as(role).startsWith("application/problem+json");
        }
        Response anonymous = get(VERIFY, null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.contentType()).startsWith("application/problem+json");
    }
}
