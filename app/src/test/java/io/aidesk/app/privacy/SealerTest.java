package io.aidesk.app.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.aidesk.api.agentrun.RunEvents.DecisionRecorded;
import io.aidesk.api.agentrun.RunEvents.RunStarted;
import io.aidesk.api.agentrun.RunEvents.ToolCallExecuted;
import io.aidesk.api.conversation.ConversationEvents.ConversationStarted;
import io.aidesk.api.conversation.ConversationEvents.MessagePosted;
import io.aidesk.api.decision.Decision;
import io.aidesk.api.decision.DecisionUsage;
import io.aidesk.api.privacy.PersonalData;
import io.aidesk.api.privacy.PrivacyEvents.ContactErased;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sealing walker on its own, over keys kept in a map. */
class SealerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Line(String sku, @PersonalData String note) {
    }

    record Address(@PersonalData String street, String country) {
    }

    record Order(String tenantId, String contactId, String orderId, List<Line> lines, Map<String, Address> addresses,
                 @PersonalData Map<String, Object> extra, @PersonalData List<String> phones,
                 @PersonalData Integer age, @PersonalData Boolean vip, @PersonalData String nothing) {
    }

    /** Keys in a map; destroying one is removing it. */
    static final class MapKeys implements PrivacyKeys {
        final Map<String, ContactKey> byContact = new HashMap<>();
        final Map<UUID, SecretKey> byId = new HashMap<>();
        final Map<String, String> links = new HashMap<>();
        boolean anyTenant;

        @Override
        public ContactKey keyFor(String tenant, String contactId) {
            return byContact.computeIfAbsent(tenant + "/" + contactId, k -> {
                byte[] secret = new byte[32];
                new SecureRandom().nextBytes(secret);
                ContactKey key = new ContactKey(UUID.randomUUID(), new SecretKeySpec(secret, "AES"));
                byId.put(key.keyId(), key.secret());
                return key;
            });
        }

        @Override
        public Optional<SecretKey> key(String tenant, UUID keyId) {
            boolean owned = anyTenant || byContact.entrySet().stream()
                    .anyMatch(e -> e.getKey().startsWith(tenant + "/") && e.getValue().keyId().equals(keyId));
            return owned ? Optional.ofNullable(byId.get(keyId)) : Optional.empty();
        }

        @Override
        public Optional<String> contactOf(String tenant, String ref) {
            return Optional.ofNullable(links.get(tenant + "/" + ref));
        }

        @Override
        public void link(String tenant, String ref, String contactId) {
            links.putIfAbsent(tenant + "/" + ref, contactId);
        }

        void destroy(String tenant, String contactId) {
            byId.remove(byContact.get(tenant + "/" + contactId).keyId());
        }
    }

    private MapKeys keys;
    private Sealer sealer;

    @BeforeEach
    void sealer() {
        keys = new MapKeys();
        sealer = new Sealer(keys, JSON, new SecureRandom());
    }

    private Order order() {
        return new Order("acme", "c-1", "o-1",
                List.of(new Line("sku-1", "leave it with Ana Lopez"), new Line("sku-2", null)),
                Map.of("home", new Address("12 Elm Street", "ES")),
                Map.of("email", "ana@example.com", "nested", Map.of("iban", "ES91 2100")),
                List.of("+34 600 000 000"), 42, true, null);
    }

    private JsonNode sealed(Object event) {
        JsonNode tree = JSON.valueToTree(event);
        sealer.seal(event.getClass(), tree);
        return tree;
    }

    @Test
    void personalValuesInNestedRecordsListsAndMapsAreSealedAndTheRestStaysReadable() {
        JsonNode tree = sealed(order());

        String stored = tree.toString();
        assertThat(stored).doesNotContain("Ana Lopez", "12 Elm Street", "ana@example.com", "ES91 2100", "+34 600", "\"age\":42",
                "\"vip\":true");
        assertThat(tree.path("orderId").asText()).isEqualTo("o-1");
        assertThat(tree.path("lines").get(0).path("sku").asText()).isEqualTo("sku-1");
        assertThat(tree.path("lines").get(0).path("note").asText()).startsWith("aidesk-sealed:v1:");
        assertThat(tree.path("lines").get(1).path("note").isNull()).as("nothing to seal").isTrue();
        assertThat(tree.path("addresses").path("home").path("street").asText()).startsWith("aidesk-sealed:v1:");
        assertThat(tree.path("addresses").path("home").path("country").asText()).isEqualTo("ES");
        assertThat(tree.path("extra").asText()).matches("aidesk-sealed:v1:[0-9a-f-]{36}:o:[A-Za-z0-9_-]+");
        assertThat(tree.path("phones").asText()).contains(":a:");
        assertThat(tree.path("age").asText()).contains(":n:");
        assertThat(tree.path("vip").asText()).contains(":b:");
        assertThat(tree.path("nothing").isNull()).isTrue();

        JsonNode opened = sealer.open(Order.class, tree, "acme");
        assertThat(opened).isEqualTo(JSON.valueToTree(order()));
    }

    @Test
    void aDestroyedKeyOpensAsErasedInTheShapeTheValueHad() {
        JsonNode tree = sealed(order());
        keys.destroy("acme", "c-1");

        JsonNode opened = sealer.open(Order.class, tree, "acme");

        assertThat(opened.path("lines").get(0).path("note").asText()).isEqualTo(PersonalData.ERASED);
        assertThat(opened.path("lines").get(0).path("sku").asText()).isEqualTo("sku-1");
        assertThat(opened.path("addresses").path("home").path("street").asText()).isEqualTo(PersonalData.ERASED);
        assertThat(opened.path("extra").toString()).isEqualTo("{\"erased\":\"[erased]\"}");
        assertThat(opened.path("phones").toString()).isEqualTo("[\"[erased]\"]");
        assertThat(opened.path("age").isNull()).isTrue();
        assertThat(opened.path("vip").isNull()).isTrue();
        assertThat(JSON.convertValue(opened, Order.class).orderId()).as("still an order").isEqualTo("o-1");
    }

    @Test
    void aSealedValueOpensOnlyForItsTenantAndUnaltered() {
        JsonNode tree = sealed(order());
        String token = tree.path("lines").get(0).path("note").asText();
        keys.anyTenant = true; // as if the key were found: the associated data still binds the value to its tenant

        assertThatThrownBy(() -> sealer.openToken(token, "globex")).isInstanceOf(Sealer.BrokenSealException.class)
                .hasMessageContaining("moved from another tenant");
        String otherKind = token.replace(":s:", ":o:");
        assertThatThrownBy(() -> sealer.openToken(otherKind, "acme")).isInstanceOf(Sealer.BrokenSealException.class);
        char last = token.charAt(token.length() - 2);
        String altered = token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A') + token.charAt(token.length() - 1);
        assertThatThrownBy(() -> sealer.openToken(altered, "acme")).isInstanceOf(Sealer.BrokenSealException.class);
        assertThatThrownBy(() -> sealer.openToken("aidesk-sealed:v1:nope", "acme"))
                .isInstanceOf(Sealer.BrokenSealException.class);
        assertThat(sealer.openToken(token, "acme")).isEqualTo(new TextNode("leave it with Ana Lopez"));

        keys.anyTenant = false;
        assertThat(sealer.openToken(token, "globex").asText()).as("globex has no such key").isEqualTo(PersonalData.ERASED);
    }

    @Test
    void theEventsPathsAreTheMarkedComponentsDownToTheDecisionsReplyAndActionArguments() {
        assertThat(PersonalDataPaths.of(DecisionRecorded.class)).containsExactlyInAnyOrder(
                List.of(new PersonalDataPaths.Member("decision"), new PersonalDataPaths.Member("reply")),
                List.of(new PersonalDataPaths.Member("decision"), new PersonalDataPaths.Member("actions"),
                        new PersonalDataPaths.Elements(), new PersonalDataPaths.Member("args")),
                List.of(new PersonalDataPaths.Member("rawOutput")));
        assertThat(PersonalDataPaths.of(ContactErased.class)).isEmpty();
        assertThat(Sealer.concerns(ContactErased.class)).isFalse();

        DecisionRecorded decided = new DecisionRecorded("r-1", "acme", new Decision("support", 0.9, false, List.of(),
                "We will call +34 600", List.of(new Decision.ProposedAction("create_ticket",
                Map.of("subject", "Leak at 12 Elm Street"))), List.of("chunk-1")),
                new DecisionUsage("offline", 1, 2, 3, 0), "{\"reply\": \"We will call +34 600\"}", null);
        keys.link("acme", "r-1", "c-1");
        JsonNode tree = sealed(decided);
        assertThat(tree.toString()).doesNotContain("+34 600", "Elm Street").contains("create_ticket", "chunk-1",
                "\"intent\":\"support\"", "\"confidence\":0.9");
        keys.destroy("acme", "c-1");
        DecisionRecorded erased = JSON.convertValue(sealer.open(DecisionRecorded.class, tree, "acme"),
                DecisionRecorded.class);
        assertThat(erased.decision().reply()).isEqualTo(PersonalData.ERASED);
        assertThat(erased.decision().actions().get(0).tool()).isEqualTo("create_ticket");
        assertThat(erased.decision().actions().get(0).args()).isEqualTo(Map.of("erased", PersonalData.ERASED));
        assertThat(erased.rawOutput()).isEqualTo(PersonalData.ERASED);
        assertThat(erased.decision().intent()).isEqualTo("support");
    }

    @Test
    void theContactIsTheEventsOrTheOneItsConversationOrRunIsLinkedTo() {
        sealed(new ConversationStarted("conv-1", "acme", "web", "c-7", "Leaking tap", "crm"));
        assertThat(keys.contactOf("acme", "conv-1")).contains("c-7");

        sealed(new MessagePosted("conv-1", "acme", "m-1", "customer", "user", "Hello", "crm"));
        sealed(new RunStarted("run-1", "acme", "conv-1", "copilot", "Hello", "h", "ana", null, null));
        assertThat(keys.contactOf("acme", "run-1")).as("a run on a linked conversation is linked too").contains("c-7");
        JsonNode executed = sealed(new ToolCallExecuted("run-1", "acme", "call-1", "create_ticket",
                Map.of("ticket_id", "t-1")));
        assertThat(keys.byContact).containsOnlyKeys("acme/c-7");
        assertThat(sealer.open(ToolCallExecuted.class, executed.deepCopy(), "acme").path("result").path("ticket_id")
                .asText()).isEqualTo("t-1");

        keys.destroy("acme", "c-7");
        assertThat(sealer.open(ToolCallExecuted.class, executed, "acme").path("result").toString())
                .isEqualTo("{\"erased\":\"[erased]\"}");
    }

    @Test
    void personalDataWithoutAContactToTellIsRefusedAndWithoutPersonalDataNothingIsAsked() {
        assertThatThrownBy(() -> sealed(new MessagePosted("conv-unknown", "acme", "m-1", "customer", "user", "Hello",
                "crm"))).isInstanceOf(Sealer.NoDataSubjectException.class)
                .hasMessageContaining("conversationId conv-unknown");
        assertThatThrownBy(() -> sealed(new ToolCallExecuted("run-unknown", "acme", "call-1", "t", Map.of("a", 1))))
                .isInstanceOf(Sealer.NoDataSubjectException.class).hasMessageContaining("runId run-unknown");
        assertThatThrownBy(() -> sealed(new Order(null, "c-1", "o-1", List.of(), Map.of(), null, null, null, null,
                "x"))).isInstanceOf(Sealer.NoDataSubjectException.class).hasMessageContaining("tenantId");

        JsonNode nothingPersonal = sealed(new MessagePosted("conv-unknown", "acme", "m-1", "customer", "user", null,
                "crm"));
        assertThat(nothingPersonal.path("text").isNull()).isTrue();
        assertThat(keys.byContact).isEmpty();
    }

    @Test
    void aTextThatOnlyLooksSealedIsDataAndOpensAsItWasWritten() {
        sealed(new ConversationStarted("conv-1", "acme", "web", "c-7", null, "crm"));
        String looksSealed = Sealer.TOKEN_PREFIX + "not-a-key:s:AAAA";
        JsonNode posted = sealed(new MessagePosted("conv-1", "acme", "m-1", "customer", "user", looksSealed, "crm"));

        assertThat(posted.path("text").asText()).startsWith(Sealer.TOKEN_PREFIX).isNotEqualTo(looksSealed);
        assertThat(sealer.open(MessagePosted.class, posted, "acme").path("text").asText()).isEqualTo(looksSealed);
        ObjectNode notPersonal = JSON.createObjectNode().put("tenantId", "acme").put("sourceId", looksSealed);
        assertThat(sealer.open(ContactErased.class, notPersonal, "acme").path("sourceId").asText())
                .as("only personal paths are opened").isEqualTo(looksSealed);
    }
}
