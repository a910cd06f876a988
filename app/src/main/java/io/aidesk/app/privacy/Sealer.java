package io.aidesk.app.privacy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.aidesk.api.privacy.PersonalData;
import io.aidesk.app.privacy.PersonalDataPaths.Elements;
import io.aidesk.app.privacy.PersonalDataPaths.Member;
import io.aidesk.app.privacy.PersonalDataPaths.Step;
import io.aidesk.app.privacy.PersonalDataPaths.Values;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Seals the personal data of an event's JSON with its contact's key, and opens sealed values again.
 *
 * <p>A sealed value is the text {@code aidesk-sealed:v1:<key id>:<kind>:<base64url(nonce | AES-256-GCM ciphertext)>}
 * of the value's JSON, with {@code v1|tenant|key id|kind} as associated data, so it opens only for its tenant. The
 * kind ({@code s} text, {@code o} object, {@code a} array, {@code n} number, {@code b} boolean) says what a reader gets
 * once the key is destroyed: {@code "[erased]"}, {@code {"erased": "[erased]"}}, {@code ["[erased]"]} or null.
 *
 * <p>The event's contact is its {@code contactId}; else the contact its {@code conversationId}, else its
 * {@code runId}, is linked to. An event that names its contact together with its conversation or run links them (so
 * does one that names a run and a conversation already linked). Personal data whose contact cannot be told is refused
 * ({@link NoDataSubjectException}): every flow starts a conversation, or a run on one, before anything else is said.
 */
final class Sealer {
    /** Every sealed value is a string that starts so, whatever field it is in. */
    static final String PREFIX = "aidesk-sealed:";
    static final String TOKEN_PREFIX = PREFIX + "v1:";
    static final String TENANT = "tenantId";
    static final String CONTACT = "contactId";
    static final String CONVERSATION = "conversationId";
    static final String RUN = "runId";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder UNBASE64 = Base64.getUrlDecoder();

    private final PrivacyKeys keys;
    private final ObjectMapper json;
    private final SecureRandom random;

    Sealer(PrivacyKeys keys, ObjectMapper json, SecureRandom random) {
        this.keys = keys;
        this.json = json;
        this.random = random;
    }

    /** The event's personal data cannot be told apart from no one's: refused rather than stored readable. */
    static final class NoDataSubjectException extends IllegalStateException {
        NoDataSubjectException(String message) {
            super(message);
        }
    }

    /** A sealed value that does not open with its key: altered, or moved from another tenant's event. */
    static final class BrokenSealException extends IllegalStateException {
        BrokenSealException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Whether a type needs the sealer at all: it has personal data, or it links a contact to a conversation or run. */
    static boolean concerns(Class<?> type) {
        return !PersonalDataPaths.of(type).isEmpty() || links(type);
    }

    private static boolean links(Class<?> type) {
        if (!type.isRecord()) {
            return false;
        }
        boolean contact = false;
        boolean ref = false;
        for (var component : type.getRecordComponents()) {
            contact |= CONTACT.equals(component.getName());
            ref |= CONVERSATION.equals(component.getName()) || RUN.equals(component.getName());
        }
        return contact && ref;
    }

    /** Seals, in place, the personal data of the JSON of an object of this type. */
    void seal(Class<?> type, JsonNode tree) {
        if (!(tree instanceof ObjectNode event)) {
            return;
        }
        List<List<Step>> paths = PersonalDataPaths.of(type);
        boolean personal = paths.stream().anyMatch(path -> reaches(event, path, 0));
        String tenant = text(event, TENANT);
        if (tenant == null) {
            if (personal) {
                throw new NoDataSubjectException(type.getName() + " holds personal data but names no " + TENANT);
            }
            return;
        }
        String contact = subject(type, event, tenant, personal);
        if (!personal) {
            return;
        }
        PrivacyKeys.ContactKey key = keys.keyFor(tenant, contact);
        for (List<Step> path : paths) {
            replace(event, path, 0, value -> new TextNode(seal(value, tenant, key)));
        }
    }

    /** The contact the event is about (null when it holds no personal data and names none); links as it goes. */
    private String subject(Class<?> type, ObjectNode event, String tenant, boolean personal) {
        String contact = text(event, CONTACT);
        String conversation = text(event, CONVERSATION);
        String run = text(event, RUN);
        if (contact != null) {
            if (conversation != null) {
                keys.link(tenant, conversation, contact);
            }
            if (run != null) {
                keys.link(tenant, run, contact);
            }
            return contact;
        }
        if (!personal) {
            return null;
        }
        if (conversation != null) {
            contact = keys.contactOf(tenant, conversation).orElse(null);
            if (contact != null && run != null) {
                keys.link(tenant, run, contact);
            }
        }
        if (contact == null && run != null) {
            contact = keys.contactOf(tenant, run).orElse(null);
        }
        if (contact == null) {
            throw new NoDataSubjectException("cannot seal the personal data of " + type.getSimpleName() + " (tenant "
                    + tenant + "): it names no " + CONTACT + ", and no contact is known for its "
                    + (conversation != null ? CONVERSATION + " " + conversation : "")
                    + (conversation != null && run != null ? " or its " : "")
                    + (run != null ? RUN + " " + run : "")
                    + (conversation == null && run == null ? CONVERSATION + " or " + RUN + " (it names neither)" : ""));
        }
        return contact;
    }

    String seal(JsonNode value, String tenant, PrivacyKeys.ContactKey key) {
        char kind = kind(value);
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key.secret(), nonce, tenant, key.keyId(), kind);
            byte[] sealed = cipher.doFinal(json.writeValueAsBytes(value));
            byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return TOKEN_PREFIX + key.keyId() + ":" + kind + ":" + BASE64.encodeToString(out);
        } catch (GeneralSecurityException | JsonProcessingException e) {
            throw new IllegalStateException("cannot seal personal data", e);
        }
    }

    /**
     * Opens, in place, the sealed values at the type's personal paths, once each. Nothing else is opened: a text that
     * only looks sealed (a customer who writes the prefix, a crawled page, a correlation id) is data, not a seal.
     */
    JsonNode open(Class<?> type, JsonNode tree, String tenant) {
        for (List<Step> path : PersonalDataPaths.of(type)) {
            replace(tree, path, 0, value -> value.isTextual() && value.textValue().startsWith(PREFIX)
                    ? openToken(value.textValue(), tenant) : value);
        }
        return tree;
    }

    JsonNode openToken(String token, String tenant) {
        if (!token.startsWith(TOKEN_PREFIX)) {
            throw new BrokenSealException("a sealed value of an unknown version: "
                    + token.substring(0, Math.min(token.length(), TOKEN_PREFIX.length() + 4)) + "…", null);
        }
        if (tenant == null) {
            throw new BrokenSealException("a sealed value in a payload that names no " + TENANT + " cannot be opened", null);
        }
        String[] parts = token.substring(TOKEN_PREFIX.length()).split(":", 3);
        UUID keyId;
        char kind;
        byte[] sealed;
        try {
            keyId = UUID.fromString(parts[0]);
            kind = parts[1].length() == 1 ? parts[1].charAt(0) : '?';
            sealed = UNBASE64.decode(parts[2]);
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            throw new BrokenSealException("a sealed value is malformed", e);
        }
        if ("soanb".indexOf(kind) < 0 || sealed.length <= NONCE_BYTES) {
            throw new BrokenSealException("a sealed value is malformed", null);
        }
        Optional<SecretKey> key = keys.key(tenant, keyId);
        if (key.isEmpty()) {
            return erased(kind);
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key.get(), Arrays.copyOf(sealed, NONCE_BYTES), tenant, keyId, kind);
            return json.readTree(cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES));
        } catch (AEADBadTagException e) {
            throw new BrokenSealException("a sealed value does not open for tenant " + tenant + " with key " + keyId
                    + ": it was altered, or moved from another tenant's event", e);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot open a sealed value", e);
        }
    }

    /** What a value reads as once its contact's key is destroyed, in the shape it had. */
    static JsonNode erased(char kind) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return switch (kind) {
            case 's' -> nodes.textNode(PersonalData.ERASED);
            case 'o' -> nodes.objectNode().put("erased", PersonalData.ERASED);
            case 'a' -> nodes.arrayNode().add(PersonalData.ERASED);
            default -> NullNode.getInstance();
        };
    }

    private static char kind(JsonNode value) {
        if (value.isTextual()) {
            return 's';
        }
        if (value.isObject()) {
            return 'o';
        }
        if (value.isArray()) {
            return 'a';
        }
        if (value.isBoolean()) {
            return 'b';
        }
        return 'n';
    }

    private static Cipher cipher(int mode, SecretKey key, byte[] nonce, String tenant, UUID keyId, char kind)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(("v1|" + tenant + "|" + keyId + "|" + kind).getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    /** Whether the path leads to a value (not null) in this node. */
    private static boolean reaches(JsonNode node, List<Step> path, int at) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return false;
        }
        if (at == path.size()) {
            return true;
        }
        Step step = path.get(at);
        if (step instanceof Member member) {
            return node.isObject() && reaches(node.get(member.name()), path, at + 1);
        }
        if (step instanceof Elements) {
            if (node.isArray()) {
                for (JsonNode element : node) {
                    if (reaches(element, path, at + 1)) {
                        return true;
                    }
                }
            }
            return false;
        }
        if (step instanceof Values && node.isObject()) {
            for (JsonNode value : node) {
                if (reaches(value, path, at + 1)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Replaces every value the path leads to (never a null) with what the function makes of it. */
    private static void replace(JsonNode node, List<Step> path, int at, UnaryOperator<JsonNode> with) {
        Step step = path.get(at);
        boolean last = at == path.size() - 1;
        if (step instanceof Member member && node instanceof ObjectNode object) {
            JsonNode child = object.get(member.name());
            if (present(child)) {
                if (last) {
                    object.set(member.name(), with.apply(child));
                } else {
                    replace(child, path, at + 1, with);
                }
            }
        } else if (step instanceof Elements && node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode child = array.get(i);
                if (present(child)) {
                    if (last) {
                        array.set(i, with.apply(child));
                    } else {
                        replace(child, path, at + 1, with);
                    }
                }
            }
        } else if (step instanceof Values && node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (present(field.getValue())) {
                    if (last) {
                        field.setValue(with.apply(field.getValue()));
                    } else {
                        replace(field.getValue(), path, at + 1, with);
                    }
                }
            }
        }
    }

    private static boolean present(JsonNode node) {
        return node != null && !node.isNull() && !node.isMissingNode();
    }

    private static String text(ObjectNode event, String field) {
        JsonNode value = event.get(field);
        return value != null && value.isTextual() && !value.textValue().isEmpty() ? value.textValue() : null;
    }

}
