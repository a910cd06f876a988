package io.aidesk.app.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The operations /v3/api-docs documents, each with its parameters and request bodies, schemas resolved. */
final class ApiOperations {

    record Parameter(String name, String in, boolean required, JsonNode schema) {
    }

    /** A documented field of a JSON body, with its wire name (the API writes snake_case) and schema. */
    record Field(List<String> path, String name, JsonNode schema) {
        String type() {
            return schema.path("type").asText("string");
        }

        String dotted() {
            return String.join(".", path);
        }
    }

    record Operation(String method, String path, List<Parameter> parameters, Map<String, JsonNode> bodies,
                     boolean bodyRequired) {
        String label() {
            return method + " " + path;
        }

        List<Parameter> in(String where) {
            return parameters.stream().filter(p -> p.in().equals(where)).toList();
        }
    }

    private final JsonNode docs;

    ApiOperations(JsonNode docs) {
        this.docs = docs;
    }

    List<Operation> all() {
        List<Operation> operations = new ArrayList<>();
        docs.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            // a live stream answers for as long as the client listens: LiveStreamTest covers it, not the fuzz
            if (op.getValue().path("responses").toString().contains("text/event-stream")) {
                return;
            }
            List<Parameter> parameters = new ArrayList<>();
            op.getValue().path("parameters").forEach(p -> parameters.add(new Parameter(p.path("name").asText(),
                    p.path("in").asText(), p.path("required").asBoolean(), resolve(p.path("schema")))));
            Map<String, JsonNode> bodies = new LinkedHashMap<>();
            op.getValue().path("requestBody").path("content").fields().forEachRemaining(content ->
                    bodies.put(content.getKey(), resolve(content.getValue().path("schema"))));
            operations.add(new Operation(op.getKey().toUpperCase(Locale.ROOT), path.getKey(), parameters, bodies,
                    op.getValue().path("requestBody").path("required").asBoolean(false)));
        }));
        return operations;
    }

    /** The schema with every $ref replaced by what it names (the API's schemas are not recursive). */
    JsonNode resolve(JsonNode schema) {
        if (schema.has("$ref")) {
            String name = schema.path("$ref").asText().substring("#/components/schemas/".length());
            return resolve(docs.path("components").path("schemas").path(name));
        }
        if (!schema.isObject()) {
            return schema;
        }
        ObjectNode copy = JsonNodeFactory.instance.objectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = schema.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals("properties")) {
                ObjectNode properties = copy.putObject("properties");
                field.getValue().fields().forEachRemaining(p -> properties.set(p.getKey(), resolve(p.getValue())));
            } else if (field.getValue().isObject()) {
                copy.set(field.getKey(), resolve(field.getValue()));
            } else {
                copy.set(field.getKey(), field.getValue());
            }
        }
        return copy;
    }

    /** Every field of an object schema, nested objects' fields too, by the names the document gives, which are the wire's (snake_case). */
    static List<Field> fields(JsonNode schema) {
        List<Field> fields = new ArrayList<>();
        collect(schema, List.of(), fields);
        return fields;
    }

    private static void collect(JsonNode schema, List<String> prefix, List<Field> into) {
        schema.path("properties").fields().forEachRemaining(p -> {
            List<String> path = new ArrayList<>(prefix);
            path.add(p.getKey());
            into.add(new Field(List.copyOf(path), p.getKey(), p.getValue()));
            if (p.getValue().has("properties")) {
                collect(p.getValue(), path, into);
            }
        });
    }
}
