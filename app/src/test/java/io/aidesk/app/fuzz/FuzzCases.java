package io.aidesk.app.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.aidesk.app.fuzz.ApiOperations.Field;
import io.aidesk.app.fuzz.ApiOperations.Operation;
import io.aidesk.app.fuzz.ApiOperations.Parameter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.sessions.JqwikSession;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;

/**
 * Draws the fuzz requests for every documented operation from jqwik's generators, in a fixed order from one seed, so
 * the same seed sends the same requests.
 */
final class FuzzCases {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String HOLE = "\u0001fuzz-hole\u0001";

    /** The ids a tenant's real resources have; the attacker's make valid requests, the victim's foreign ones. */
    record Ids(String source, String conversation, String message, String run, String call, String argsHash,
               String contact, String webhook, String delivery, String chunk, String replay) {
        /** The id a path segment or field name refers to: /sources/{id} is a source, conversation_id a conversation. */
        String forName(String name) {
            String n = name.toLowerCase();
            if (n.contains("chunk")) {
                return chunk;
            } else if (n.contains("replay")) {
                return replay;
            } else if (n.contains("deliver")) {
                return delivery;
            } else if (n.contains("webhook")) {
                return webhook;
            } else if (n.contains("source")) {
                return source;
            } else if (n.contains("conversation")) {
                return conversation;
            } else if (n.contains("message")) {
                return message;
            } else if (n.contains("run")) {
                return run;
            } else if (n.contains("approval") || n.contains("call")) {
                return call;
            } else if (n.contains("hash")) {
                return argsHash;
            } else if (n.contains("contact")) {
                return contact;
            }
            return null;
        }
    }

    /** Who sends a request: a token of the attacking tenant, none, or a token that must not let anyone in. */
    record Caller(String label, String token, boolean legitimate) {
    }

    enum Input {
        VALID(false), FOREIGN_IDS(false), RANDOM_UUIDS(false), PATH_GARBAGE(false), QUERY_GARBAGE(false),
        HUGE_HEADER(false), UNEXPECTED_BODY(false),
        WRONG_TYPE(true), MISSING_FIELDS(false), NULL_FIELD(false), EXTRA_FIELD(false), DUPLICATE_KEY(true),
        TRAILING_CONTENT(true), HUGE_STRING(false), NUL_IN_STRING(true), LONE_SURROGATE(true),
        CONTROL_CHARS_ONLY(false), DEEP_NESTING(true), FRACTION_FOR_INTEGER(true), BIG_NUMBER(false),
        NOT_JSON(true), EMPTY_BODY(true), NOT_AN_OBJECT(true), INVALID_UTF8(true), WRONG_CONTENT_TYPE(true),
        MULTIPART_VALID(false), MULTIPART_BAD_FILE_NAME(false), MULTIPART_NO_BOUNDARY(true),
        MULTIPART_BROKEN(true), MULTIPART_ODD_PARTS(false),
        RAW_BAD_PERCENT_ENCODING(false), RAW_CHARACTERS(false), RAW_ODD_SEGMENTS(false);

        /** Malformed beyond doubt: the API must refuse it, so a 2xx is a failure too. */
        final boolean malformed;

        Input(boolean malformed) {
            this.malformed = malformed;
        }

        String label() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    // values the docs do not enumerate, so that valid requests get past validation to the code behind it
    private static final Map<String, List<String>> HINTS = Map.ofEntries(
            Map.entry("type", List.of("url")),
            Map.entry("url", List.of("https://fuzz.invalid/help/", "http://fuzz.invalid/a?b=c")),
            Map.entry("sender", List.of("customer", "agent")),
            Map.entry("channel", List.of("web", "email", "whatsapp")),
            Map.entry("log_content", List.of("full", "redacted", "none")),
            Map.entry("allowed_tools", List.of("create_ticket", "cancel_subscription", "issue_credit")),
            Map.entry("action", List.of("handoff", "escalate")),
            Map.entry("intents", List.of("cancellation", "billing", "problem_report")),
            Map.entry("query", List.of("opening hours", "how do I cancel my subscription?")),
            Map.entry("text", List.of("When are you open?", "I want to cancel my subscription")),
            Map.entry("message", List.of("When are you open?", "I want to cancel my subscription")),
            Map.entry("email", List.of("fuzz@example.test")),
            Map.entry("plan", List.of("pro", "basic")),
            Map.entry("status", List.of("pending", "approved", "rejected", "expired")),
            Map.entry("limit", List.of("1", "10", "50")),
            Map.entry("from", List.of("2020-01-01T00:00:00Z")),
            Map.entry("to", List.of("2100-01-01T00:00:00Z")),
            Map.entry("mode", List.of("autopilot", "copilot")));
    // the attacker's copilot and autopilot stay on, so that drafts and runs keep reaching the code behind them
    private static final List<String> KEPT_ON = List.of("copilot_enabled", "autopilot_enabled");
    // the runs list and the audit export take a free-form map in the docs; these are the names they read
    private static final List<String> FREE_FORM_QUERY = List.of("from", "to", "mode", "status", "conversation_id",
            "cursor", "limit", "min_confidence", "max_confidence", "intent", "tool");
    private static final List<String> CONTENT_TYPES_REFUSED = List.of("", "*/*", "text/plain", "application/xml",
            "multipart/form-data", "application/x-www-form-urlencoded", "application/octet-stream", "text/html; charset=utf-8");
    private static final List<String> HOSTILE = List.of("\u0000", "\u0000\u0000", "\ud800", "\udfff", "\ud83d",
            "\u202e", "\u200b", "\r\n", "\t", "\u0007", "\u007f", "\u0085", "\u2028", "\ufeff", "\uffff", "é", "🧨",
            "'", "\"", "\\", "<script>", "${jndi:x}", "../", "%00", "%", "' OR '1'='1", "\u0000' --");

    /** An attacking tenant: its real ids and who calls on its behalf. */
    record Attacker(Ids ids, List<Caller> callers) {
    }

    private final Random random;
    private final List<Attacker> attackers;
    private final Ids foreign;
    // the attacker of the operation being drawn
    private Ids own;
    private List<Caller> callers;

    FuzzCases(long seed, List<Attacker> attackers, Ids foreign) {
        this.random = new Random(seed);
        this.attackers = attackers;
        this.foreign = foreign;
    }

    private <T> T draw(Arbitrary<T> arbitrary) {
        return arbitrary.generatorWithEmbeddedEdgeCases(1000).next(random).value();
    }

    private <T> T pick(List<T> values) {
        return draw(Arbitraries.of(values));
    }

    private String uuid() {
        return new UUID((random.nextLong() & ~0xF000L) | 0x4000L,
                (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
    }

    private String word() {
        return draw(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12));
    }

    /** Text built of hostile pieces and arbitrary code points, surrogates and NUL included. */
    private String hostile() {
        return draw(Arbitraries.oneOf(
                Arbitraries.of(HOSTILE),
                Arbitraries.strings().all().ofMinLength(1).ofMaxLength(24),
                Arbitraries.of(HOSTILE).list().ofMinSize(2).ofMaxSize(6).map(parts -> String.join("x", parts))));
    }

    /**
     * The requests for every operation: the admin, whom almost every operation lets in, gets each kind of input twice;
     * the other roles perRole inputs, callers without a valid token perOutsider, and rawPerOperation raw targets.
     */
    List<FuzzRequest> all(List<Operation> operations, int perRole, int perOutsider, int rawPerOperation) {
        // jqwik's generators memoize in a session; outside a property, this test opens one for the drawing
        JqwikSession.start();
        try {
            List<FuzzRequest> requests = draw(operations, perRole, perOutsider, rawPerOperation);
            // spread over the run, so that the tenant's rate limits (syncs, agent runs) let some of each kind through
            Collections.shuffle(requests, random);
            return requests;
        } finally {
            JqwikSession.finish();
        }
    }

    private List<FuzzRequest> draw(List<Operation> operations, int perRole, int perOutsider, int rawPerOperation) {
        List<FuzzRequest> requests = new ArrayList<>();
        // the docs' order is the handler mappings' order: sorted, the same seed draws the same requests
        List<Operation> sorted = operations.stream().sorted(Comparator.comparing(Operation::path)
                .thenComparing(Operation::method)).toList();
        int variant = 0;
        for (Operation operation : sorted) {
            List<String> bodyTypes = operation.bodies().isEmpty() ? List.of("") : operation.bodies().keySet().stream().sorted().toList();
            for (String bodyType : bodyTypes) {
                // operations take turns among the attackers: a tenant's rate limits (syncs, agent runs) are shared
                // by several operations, and each attacker's budget then serves only some of them; uploads, each one
                // a sync, have the last attacker to themselves
                Attacker attacker = bodyType.startsWith("multipart/") ? attackers.get(attackers.size() - 1)
                        : attackers.get(variant++ % (attackers.size() - 1));
                own = attacker.ids();
                callers = attacker.callers();
                List<Input> inputs = inputsFor(operation, bodyType);
                for (Caller caller : callers) {
                    List<Input> order = new ArrayList<>(inputs);
                    Collections.shuffle(order, random);
                    int count = caller.label().equals("admin") ? 2 * inputs.size() : caller.legitimate() ? perRole : perOutsider;
                    for (int i = 0; i < count; i++) {
                        // outsiders are turned away before the body is read: they get the valid input, the body's
                        // kind does not matter for them
                        Input input = caller.legitimate() ? order.get(i % order.size()) : (i == 0 ? Input.VALID : pick(inputs));
                        requests.add(request(operation, bodyType, caller, input));
                    }
                }
                if (bodyType.equals("application/json")) {
                    // every field, not a drawn one, gets each kind of hostile text and bytes (integers a fraction), as admin
                    Caller admin = callers.stream().filter(c -> c.label().equals("admin")).findFirst().orElseThrow();
                    for (Field field : ApiOperations.fields(operation.bodies().get(bodyType))) {
                        List<Input> kinds = switch (field.type()) {
                            case "string" -> List.of(Input.NUL_IN_STRING, Input.LONE_SURROGATE, Input.CONTROL_CHARS_ONLY,
                                    Input.INVALID_UTF8);
                            case "integer" -> List.of(Input.FRACTION_FOR_INTEGER);
                            default -> List.of();
                        };
                        kinds.forEach(kind -> requests.add(request(operation, bodyType, admin, kind, field)));
                    }
                }
            }
            for (int i = 0; i < rawPerOperation; i++) {
                Caller caller = callers.stream().filter(Caller::legitimate).toList().get(i % 4);
                Input raw = List.of(Input.RAW_BAD_PERCENT_ENCODING, Input.RAW_CHARACTERS, Input.RAW_ODD_SEGMENTS).get(i % 3);
                requests.add(request(operation, operation.bodies().keySet().stream().findFirst().orElse(""), caller, raw));
            }
        }
        return requests;
    }

    private static List<Input> inputsFor(Operation operation, String bodyType) {
        List<Input> inputs = new ArrayList<>(List.of(Input.VALID, Input.FOREIGN_IDS, Input.RANDOM_UUIDS,
                Input.QUERY_GARBAGE, Input.HUGE_HEADER));
        if (!operation.in("path").isEmpty()) {
            inputs.add(Input.PATH_GARBAGE);
            inputs.add(Input.PATH_GARBAGE);
        }
        if (bodyType.isEmpty()) {
            inputs.add(Input.UNEXPECTED_BODY);
        } else if (bodyType.startsWith("multipart/")) {
            // only an admin may upload, and file names are where uploads went wrong: they get more of the draws
            inputs.addAll(List.of(Input.MULTIPART_VALID, Input.MULTIPART_BAD_FILE_NAME, Input.MULTIPART_BAD_FILE_NAME,
                    Input.MULTIPART_BAD_FILE_NAME, Input.MULTIPART_BAD_FILE_NAME, Input.MULTIPART_BAD_FILE_NAME,
                    Input.MULTIPART_NO_BOUNDARY, Input.MULTIPART_BROKEN, Input.MULTIPART_ODD_PARTS,
                    Input.MULTIPART_ODD_PARTS));
        } else {
            boolean integers = ApiOperations.fields(operation.bodies().get(bodyType)).stream()
                    .anyMatch(f -> f.type().equals("integer"));
            inputs.addAll(List.of(Input.WRONG_TYPE, Input.WRONG_TYPE, Input.MISSING_FIELDS, Input.NULL_FIELD,
                    Input.EXTRA_FIELD, Input.DUPLICATE_KEY, Input.TRAILING_CONTENT, Input.HUGE_STRING,
                    Input.NUL_IN_STRING, Input.LONE_SURROGATE, Input.CONTROL_CHARS_ONLY, Input.DEEP_NESTING,
                    integers ? Input.FRACTION_FOR_INTEGER : Input.BIG_NUMBER, Input.NOT_JSON, Input.EMPTY_BODY,
                    Input.NOT_AN_OBJECT, Input.INVALID_UTF8, Input.WRONG_CONTENT_TYPE, Input.WRONG_CONTENT_TYPE));
        }
        return inputs;
    }

    // --- one request ----------------------------------------------------------------------------------------------

    private final class Draft {
        final Operation operation;
        final Caller caller;
        final Input input;
        // the field the input goes into, when it is not drawn
        Field field;
        final Map<String, String> headers = new LinkedHashMap<>();
        final List<String> notes = new ArrayList<>();
        String target;
        byte[] body;
        boolean raw;
        String mustRefuse;

        Draft(Operation operation, Caller caller, Input input) {
            this.operation = operation;
            this.caller = caller;
            this.input = input;
            this.mustRefuse = !caller.legitimate() ? "a request without a valid token"
                    : input.malformed ? "a malformed request" : null;
        }

        FuzzRequest build() {
            if (caller.token() != null) {
                headers.putIfAbsent("Authorization", caller.token());
            }
            return new FuzzRequest(operation.label(), caller.label(), input.label(), String.join("; ", notes),
                    operation.method(), target, headers, body, raw, mustRefuse);
        }
    }

    private FuzzRequest request(Operation operation, String bodyType, Caller caller, Input input) {
        return request(operation, bodyType, caller, input, null);
    }

    private FuzzRequest request(Operation operation, String bodyType, Caller caller, Input input, Field field) {
        Draft draft = new Draft(operation, caller, input);
        draft.field = field;
        // springdoc documents the upload's form field type as a query parameter: a valid upload sends it in the form
        boolean formFields = bodyType.startsWith("multipart/") && input != Input.QUERY_GARBAGE;
        draft.target = path(draft) + (formFields ? "" : query(draft));
        if (bodyType.startsWith("multipart/")) {
            multipart(draft);
        } else if (!bodyType.isEmpty()) {
            json(draft, operation.bodies().get(bodyType));
        } else if (input == Input.UNEXPECTED_BODY) {
            draft.body = "{\"x\": 1}".getBytes(StandardCharsets.UTF_8);
            draft.headers.put("Content-Type", pick(List.of("application/json", "*/*", "text/plain")));
            draft.notes.add("a body to an operation that takes none, " + draft.headers.get("Content-Type"));
        }
        if (input == Input.HUGE_HEADER) {
            int size = pick(List.of(9_000, 20_000, 70_000));
            draft.headers.put(pick(List.of("X-Fuzz", "Accept-Language", "Cookie")), "a".repeat(size));
            draft.notes.add("a header of " + size + " bytes");
        }
        if (input.name().startsWith("RAW_")) {
            rawUrl(draft);
        }
        return draft.build();
    }

    private String path(Draft draft) {
        String path = draft.operation.path();
        for (Parameter parameter : draft.operation.in("path")) {
            String template = "{" + parameter.name() + "}";
            String before = path.substring(0, path.indexOf(template));
            String segment = before.substring(before.lastIndexOf('/', before.length() - 2) + 1);
            String value = switch (draft.input) {
                case FOREIGN_IDS -> foreign.forName(segment + parameter.name());
                case RANDOM_UUIDS -> uuid();
                case PATH_GARBAGE -> pick(List.of(1, 2, 3)) == 1
                        ? pick(List.of("..", ".", "%2e%2e", "null", "-1", "1.5", "0", "%00", "%2F", "%252F", "a%20b",
                        "x".repeat(3000), own.forName(segment + parameter.name()) + "%00",
                        own.forName(segment + parameter.name()).toUpperCase(), " " + own.forName(segment + parameter.name())))
                        : encode(hostile());
                default -> own.forName(segment + parameter.name());
            };
            if (value == null) {
                value = word();
            }
            if (draft.input == Input.FOREIGN_IDS) {
                // another tenant's resource by its real id: finding it is reading across tenants
                draft.mustRefuse = draft.caller.legitimate() ? "another tenant's resource" : draft.mustRefuse;
                draft.notes.add("the victim's " + segment.replaceAll("s/?$", "") + " in the path");
            } else if (draft.input == Input.PATH_GARBAGE) {
                draft.notes.add(parameter.name() + "=" + abbreviate(value));
            }
            path = path.replace(template, value.startsWith(" ") ? encode(value) : value);
        }
        return path;
    }

    private String query(Draft draft) {
        List<Parameter> documented = draft.operation.in("query");
        List<String> pairs = new ArrayList<>();
        for (Parameter parameter : documented) {
            List<String> names = parameter.schema().path("type").asText().equals("object")
                    ? List.of(pick(FREE_FORM_QUERY), pick(FREE_FORM_QUERY)) : List.of(parameter.name());
            for (String name : names) {
                String value = switch (draft.input) {
                    case VALID -> validQueryValue(name, own);
                    case FOREIGN_IDS -> foreign.forName(name) != null ? foreign.forName(name) : validQueryValue(name, own);
                    case RANDOM_UUIDS -> uuid();
                    case QUERY_GARBAGE -> pick(List.of("", "2.7", "-1", "0", "1e9", "99999999999999999999", "NaN",
                            "true", "[]", hostile(), hostile(), "x".repeat(5000)));
                    default -> parameter.required() || random.nextBoolean() ? validQueryValue(name, own) : null;
                };
                if (value != null) {
                    pairs.add(name + "=" + encode(value));
                    if (draft.input == Input.QUERY_GARBAGE) {
                        draft.notes.add("?" + name + "=" + abbreviate(value));
                    }
                }
            }
        }
        if (draft.input == Input.QUERY_GARBAGE) {
            String name = pick(List.of(word(), "limit", "status", "tenant_id", "tid", hostile()));
            String value = hostile();
            pairs.add(encode(name) + "=" + encode(value));
            pairs.add(encode(name) + "=" + encode(word()));
            draft.notes.add("extra ?" + abbreviate(name) + "=" + abbreviate(value) + " twice");
        }
        return pairs.isEmpty() ? "" : "?" + String.join("&", pairs);
    }

    private String validQueryValue(String name, Ids ids) {
        if (ids.forName(name) != null) {
            return ids.forName(name);
        }
        List<String> hints = HINTS.get(name);
        return hints != null ? pick(hints) : word();
    }

    // --- JSON bodies ----------------------------------------------------------------------------------------------

    private JsonNode valid(Field field, Ids ids) {
        return valid(field.name(), field.schema(), ids);
    }

    private JsonNode valid(String name, JsonNode schema, Ids ids) {
        String type = schema.path("type").asText("string");
        switch (type) {
            case "integer":
                return NODES.numberNode(draw(Arbitraries.integers().between(1, name.contains("timeout") ? 60 : 5)));
            case "number":
                return NODES.numberNode(draw(Arbitraries.doubles().between(0, 1).ofScale(2)));
            case "boolean":
                return NODES.booleanNode(KEPT_ON.contains(name) || random.nextBoolean());
            case "array": {
                ArrayNode array = NODES.arrayNode();
                int size = draw(Arbitraries.integers().between(0, 2));
                for (int i = 0; i < size; i++) {
                    array.add(valid(name, schema.path("items"), ids));
                }
                return array;
            }
            case "object": {
                ObjectNode object = NODES.objectNode();
                if (schema.has("properties")) {
                    schema.path("properties").fields().forEachRemaining(p -> object.set(p.getKey(),
                            valid(p.getKey(), p.getValue(), ids)));
                } else if (schema.has("additionalProperties")) {
                    object.set(pick(List.of("billing", "support", "vip")), valid(name, schema.path("additionalProperties"), ids));
                }
                return object;
            }
            default: {
                String id = name.endsWith("_id") || name.endsWith("hash") ? ids.forName(name) : null;
                if (id != null) {
                    return TextNode.valueOf(id);
                }
                List<String> hints = HINTS.get(name);
                return TextNode.valueOf(hints != null ? pick(hints) : word());
            }
        }
    }

    private ObjectNode validBody(JsonNode schema, Ids ids) {
        ObjectNode body = NODES.objectNode();
        schema.path("properties").fields().forEachRemaining(p -> {
            String name = p.getKey();
            body.set(name, valid(name, p.getValue(), ids));
        });
        return body;
    }

    private static void put(ObjectNode body, Field field, JsonNode value) {
        ObjectNode at = body;
        for (String step : field.path().subList(0, field.path().size() - 1)) {
            at = at.has(step) && at.get(step).isObject() ? (ObjectNode) at.get(step) : at.putObject(step);
        }
        at.set(field.name(), value);
    }

    private static void remove(ObjectNode body, Field field) {
        JsonNode at = body;
        for (String step : field.path().subList(0, field.path().size() - 1)) {
            at = at.path(step);
        }
        if (at.isObject()) {
            ((ObjectNode) at).remove(field.name());
        }
    }

    private static String text(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The body with one field's value replaced by literal JSON text, as written (escapes, nesting, numbers). */
    private static String withLiteral(ObjectNode body, Field field, String literal) {
        put(body, field, TextNode.valueOf(HOLE));
        return text(body).replace(text(TextNode.valueOf(HOLE)), literal);
    }

    private static String jsonString(String value) {
        // Jackson escapes control characters and quotes; characters beyond ASCII are escaped here so that lone
        // surrogates reach the server as \\uD800, not as a '?' the encoder would put in their place
        StringBuilder out = new StringBuilder();
        for (char c : text(TextNode.valueOf(value)).toCharArray()) {
            out.append(c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return out.toString();
    }

    private void json(Draft draft, JsonNode schema) {
        Ids ids = draft.input == Input.FOREIGN_IDS ? foreign : own;
        ObjectNode body = validBody(schema, ids);
        List<Field> fields = ApiOperations.fields(schema);
        List<Field> scalars = fields.stream().filter(f -> !f.type().equals("object")).toList();
        List<Field> strings = fields.stream().filter(f -> f.type().equals("string")).toList();
        Field field = draft.field != null ? draft.field : pick(fields);
        Field string = draft.field != null ? draft.field : strings.isEmpty() ? field : pick(strings);
        String contentType = "application/json";
        String text;
        switch (draft.input) {
            case FOREIGN_IDS -> {
                text = text(body);
                if (fields.stream().anyMatch(f -> f.name().endsWith("_id") || f.name().endsWith("hash"))) {
                    draft.notes.add("the victim's ids in the body");
                }
            }
            case WRONG_TYPE -> {
                Field target = pick(scalars.isEmpty() ? fields : scalars);
                String literal = pick(switch (target.type()) {
                    case "string" -> List.of("{\"a\": 1}", "[\"x\"]", "42", "true", "-0.5");
                    case "integer" -> List.of("\"five\"", "{}", "[3]", "true");
                    case "number" -> List.of("\"high\"", "[0.5]", "{}", "false");
                    case "boolean" -> List.of("\"maybe\"", "[true]", "{}", "\"\"");
                    case "array" -> List.of("\"x\"", "{\"a\": 1}", "7", "[[{}]]");
                    default -> List.of("\"x\"", "[1]", "7");
                });
                text = withLiteral(body, target, literal);
                draft.notes.add(target.dotted() + ": " + literal + " (" + target.type() + " expected)");
            }
            case MISSING_FIELDS -> {
                int drop = draw(Arbitraries.integers().between(1, fields.size()));
                List<Field> dropped = new ArrayList<>(fields);
                Collections.shuffle(dropped, random);
                dropped.subList(0, drop).forEach(f -> remove(body, f));
                text = text(body);
                draft.notes.add("without " + dropped.subList(0, drop).stream().map(Field::dotted).toList());
            }
            case NULL_FIELD -> {
                put(body, field, NODES.nullNode());
                text = text(body);
                draft.notes.add(field.dotted() + ": null");
            }
            case EXTRA_FIELD -> {
                String name = pick(List.of("tenant_id", "id", "tid", word(), hostile()));
                body.put(name, hostile());
                text = text(body);
                draft.notes.add("extra field " + abbreviate(name));
            }
            case DUPLICATE_KEY -> {
                Field top = pick(fields.stream().filter(f -> f.path().size() == 1).toList());
                String twice = text(valid(top, own));
                text = "{" + jsonString(top.name()) + ": " + twice + ", " + text(body).substring(1);
                draft.notes.add(top.name() + " twice");
            }
            case TRAILING_CONTENT -> {
                String tail = pick(List.of(" ] {\"x\": 1}", "{}", " garbage", ",", "}", " null", "\u0000"));
                text = text(body) + tail;
                draft.notes.add("followed by " + abbreviate(tail));
            }
            case HUGE_STRING -> {
                int size = pick(List.of(70_000, 300_000, 1_100_000));
                text = withLiteral(body, string, jsonString(pick(List.of("x", "é", "a b ", "[")).repeat(size / 4)));
                draft.notes.add(string.dotted() + ": " + size / 4 + " repeated characters");
            }
            case NUL_IN_STRING -> {
                String value = pick(List.of("\u0000", "a\u0000b", valid(string, own).asText() + "\u0000"));
                text = withLiteral(body, string, jsonString(value));
                draft.notes.add(string.dotted() + ": " + jsonString(value));
            }
            case LONE_SURROGATE -> {
                String value = pick(List.of("\ud800", "x\udfffy", "\ud83d", valid(string, own).asText() + "\udbff"));
                text = withLiteral(body, string, jsonString(value));
                draft.notes.add(string.dotted() + ": " + jsonString(value));
            }
            case CONTROL_CHARS_ONLY -> {
                String value = draw(Arbitraries.strings().withCharRange('\u0001', '\u001f').withChars('\u007f', '\u0085')
                        .ofMinLength(1).ofMaxLength(12));
                text = withLiteral(body, string, jsonString(value));
                draft.notes.add(string.dotted() + ": " + jsonString(value));
            }
            case DEEP_NESTING -> {
                int depth = pick(List.of(2_000, 10_000, 50_000));
                String literal = random.nextBoolean() ? "[".repeat(depth) + "]".repeat(depth)
                        : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
                text = withLiteral(body, field, literal);
                draft.notes.add(field.dotted() + ": nested " + depth + " deep");
            }
            case FRACTION_FOR_INTEGER -> {
                Field integer = draft.field != null ? draft.field
                        : pick(fields.stream().filter(f -> f.type().equals("integer")).toList());
                // fractions whose whole part is a valid value: truncating them would go unnoticed
                String literal = pick(List.of("2.7", "1.5", "3.000001", "4.9", "2.5e0"));
                text = withLiteral(body, integer, literal);
                draft.notes.add(integer.dotted() + ": " + literal);
            }
            case BIG_NUMBER -> {
                String literal = pick(List.of("1e400", "-1e400", "99999999999999999999999999999", "1e-400"));
                Field target = pick(scalars.isEmpty() ? fields : scalars);
                text = withLiteral(body, target, literal);
                draft.notes.add(target.dotted() + ": " + literal);
            }
            case NOT_JSON -> {
                text = pick(List.of("{\"query\": ", "not json", "{'a': 1}", "{a: 1}", "[", "{\"a\": 1,}", "NaN",
                        "<xml/>", "{\"a\" 1}", "\"unterminated", hostile()));
                draft.notes.add(abbreviate(text));
            }
            case EMPTY_BODY -> {
                text = pick(List.of("", " ", "\r\n"));
                // an operation whose body is optional may take no body at all
                draft.mustRefuse = draft.operation.bodyRequired() || !draft.caller.legitimate() ? draft.mustRefuse : null;
                draft.notes.add("an empty body");
            }
            case NOT_AN_OBJECT -> {
                text = pick(List.of("[]", "\"x\"", "42", "null", "true", "[" + text(body) + "]"));
                draft.mustRefuse = draft.operation.bodyRequired() || !text.equals("null") || !draft.caller.legitimate()
                        ? draft.mustRefuse : null;
                draft.notes.add(abbreviate(text));
            }
            case INVALID_UTF8 -> {
                String before = withLiteral(body, string, "\"" + HOLE + "\"");
                byte[] bad = pick(List.of(new byte[]{(byte) 0xC3, 0x28}, new byte[]{(byte) 0xFF}, new byte[]{(byte) 0xE2, (byte) 0x82},
                        new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[]{(byte) 0xC0, (byte) 0xAF}));
                String[] halves = before.split(HOLE, 2);
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                bytes.writeBytes(halves[0].getBytes(StandardCharsets.UTF_8));
                bytes.writeBytes(bad);
                bytes.writeBytes(halves[1].getBytes(StandardCharsets.UTF_8));
                draft.body = bytes.toByteArray();
                draft.headers.put("Content-Type", contentType);
                draft.notes.add(string.dotted() + ": invalid UTF-8 bytes " + hex(bad));
                return;
            }
            case WRONG_CONTENT_TYPE -> {
                contentType = pick(CONTENT_TYPES_REFUSED);
                text = text(body);
                draft.notes.add(contentType.isEmpty() ? "no Content-Type" : "Content-Type: " + contentType);
            }
            default -> text = text(body);
        }
        draft.body = text.getBytes(StandardCharsets.UTF_8);
        if (!contentType.isEmpty()) {
            draft.headers.put("Content-Type", contentType);
        }
    }

    // --- multipart uploads ----------------------------------------------------------------------------------------

    private void multipart(Draft draft) {
        String boundary = "fuzz-" + uuid();
        Map<String, String> fields = new LinkedHashMap<>(Map.of("type", "file"));
        String fileName = "fuzz-" + word() + ".txt";
        byte[] content = ("Opening hours are nine to five. " + word()).getBytes(StandardCharsets.UTF_8);
        String contentType = "multipart/form-data; boundary=" + boundary;
        boolean truncate = false;
        switch (draft.input) {
            case MULTIPART_BAD_FILE_NAME -> {
                fileName = pick(List.of("a\"b.txt", "\".txt", "x\u0000.txt", "../../etc/passwd.txt", "a\r\nX-Evil: 1.txt",
                        "é\ud800.txt", "x".repeat(5000) + ".txt", ".txt", "", "a\\\"b.md", "%22.txt", hostile() + ".txt"));
                draft.notes.add("file name " + abbreviate(jsonString(fileName)));
            }
            case MULTIPART_NO_BOUNDARY -> {
                contentType = pick(List.of("multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary=\"\"",
                        "multipart/mixed"));
                draft.notes.add("Content-Type: " + contentType);
            }
            case MULTIPART_BROKEN -> {
                int variant = pick(List.of(1, 2, 3));
                if (variant == 1) {
                    contentType = "multipart/form-data; boundary=other-" + boundary;
                    draft.notes.add("the boundary declared is not the one used");
                } else if (variant == 2) {
                    truncate = true;
                    draft.notes.add("the body cut off before its closing boundary");
                } else {
                    contentType = "multipart/form-data; boundary=" + "b".repeat(200);
                    draft.notes.add("a 200-character boundary that the body does not use");
                }
            }
            case MULTIPART_ODD_PARTS -> {
                int variant = pick(List.of(1, 2, 3, 4, 5, 6));
                switch (variant) {
                    case 1 -> {
                        fileName = null;
                        draft.notes.add("no file part");
                    }
                    case 2 -> {
                        fields.put("type", pick(List.of("url", "", "FILE", hostile())));
                        draft.notes.add("type=" + abbreviate(fields.get("type")));
                    }
                    case 3 -> {
                        content = new byte[0];
                        draft.notes.add("an empty file");
                    }
                    case 4 -> {
                        fileName = "fuzz." + pick(List.of("exe", "pdf", "docx", "md", "html", "doc"));
                        content = hostile().getBytes(StandardCharsets.UTF_8);
                        draft.notes.add("garbage in a ." + fileName.substring(5) + " file");
                    }
                    case 5 -> {
                        content = new byte[2_100_000];
                        draft.notes.add("a file over the 2 MB limit");
                    }
                    default -> {
                        fields.remove("type");
                        draft.notes.add("no type field");
                    }
                }
            }
            default -> {
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        fields.forEach((name, value) -> body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\""
                + name + "\"\r\n\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
        if (fileName != null) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(content);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        if (!truncate) {
            body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        }
        draft.body = body.toByteArray();
        draft.headers.put("Content-Type", contentType);
    }

    // --- targets java.net.http refuses ----------------------------------------------------------------------------

    private void rawUrl(Draft draft) {
        String target = draft.target;
        int queryAt = target.indexOf('?');
        String path = queryAt < 0 ? target : target.substring(0, queryAt);
        String query = queryAt < 0 ? "" : target.substring(queryAt);
        Function<String, String> intoPath = bad -> {
            int cut = path.lastIndexOf('/');
            return path.substring(0, cut + 1) + bad + path.substring(cut + 1);
        };
        String bad = pick(switch (draft.input) {
            case RAW_BAD_PERCENT_ENCODING -> List.of("%", "%Z", "%ZZ", "%G1", "%%", "%C0%AF", "%E2%82", "%FF", "%u0041",
                    "%C3%28", "%ED%A0%80");
            case RAW_CHARACTERS -> List.of("a b", "a\"b", "a<b", "a{b}", "a|b", "a\\b", "a^b", "a`b", "\u0001", "\u007f", "é",
                    "\ud83e\udde8", "a\tb");
            default -> List.of("..;", "%2e%2e;", ";x=y", "%2F", "%5C", ".", "..");
        });
        int where = draft.input == Input.RAW_ODD_SEGMENTS ? pick(List.of(1, 4)) : pick(List.of(1, 2, 3));
        if (where == 1) {
            target = intoPath.apply(bad) + query;
            draft.notes.add("path with " + abbreviate(jsonString(bad)));
        } else if (where == 2) {
            target = path + (query.isEmpty() ? "?" : query + "&") + pick(List.of("limit", "status", "contact_id",
                    "conversation_id", "q")) + "=" + bad;
            draft.notes.add("query value " + abbreviate(jsonString(bad)));
        } else if (where == 3) {
            target = path + (query.isEmpty() ? "?" : query + "&") + bad + "=1";
            draft.notes.add("query name " + abbreviate(jsonString(bad)));
        } else {
            target = pick(List.of("//", "/./", "/api/../", "/%2e/", "/api/ai/..%2F")) + path.substring(1) + query;
            draft.notes.add("path " + abbreviate(target));
        }
        draft.target = target;
        draft.raw = true;
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String abbreviate(String text) {
        return abbreviate(text, 60);
    }

    /** The text with control characters and surrogates escaped, cut to about max characters. */
    static String abbreviate(String text, int max) {
        String shown = text.length() > max ? text.substring(0, max - 20) + "…(" + text.length() + " chars)" : text;
        StringBuilder out = new StringBuilder();
        for (char c : shown.toCharArray()) {
            out.append(c < 0x20 || c == 0x7f || Character.isSurrogate(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }

    private static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            out.append(String.format("%02X ", b));
        }
        return out.toString().trim();
    }
}
