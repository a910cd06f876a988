package io.aidesk.command.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.aidesk.api.tools.ToolNames;
import io.aidesk.api.tools.ToolSchemas;
import io.aidesk.api.tenancy.Role;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every tool the model may propose: its argument schema, whether it is sensitive (an admin approves it first), the
 * role that may run it, and its executor in the CRM adapter. Arguments are checked against the schema here.
 */
@Component
@EnableConfigurationProperties(ToolSettings.class)
public class ToolRegistry {
    /** A tool as the backend knows it. */
    public record Definition(String name, String description, JsonNode parameters, boolean sensitive, Role role) {
    }

    private final Map<String, Definition> tools = new LinkedHashMap<>();
    private final Map<String, JsonSchema> schemas = new LinkedHashMap<>();

    public ToolRegistry(ObjectMapper json) {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        for (String name : ToolNames.ALL) {
            ToolSchemas.Tool tool = ToolSchemas.of(name);
            boolean sensitive = ToolNames.SENSITIVE.contains(name);
            JsonNode parameters = json.valueToTree(tool.parameters());
            tools.put(name, new Definition(name, tool.description(), parameters, sensitive,
                    sensitive ? Role.ADMIN : Role.AGENT));
            schemas.put(name, factory.getSchema(parameters));
        }
    }

    public Optional<Definition> find(String name) {
        return Optional.ofNullable(tools.get(name));
    }

    public Map<String, Definition> all() {
        return Map.copyOf(tools);
    }

    /** @throws InvalidToolCallException naming the first argument at fault */
    public Definition check(String name, JsonNode args) {
        Definition tool = find(name).orElseThrow(() -> new InvalidToolCallException("tool", "no tool named '" + name + "'"));
        if (args == null || !args.isObject()) {
            throw new InvalidToolCallException("args", name + " takes an object of arguments");
        }
        schemas.get(name).validate(args).stream()
                .min(Comparator.comparing(ValidationMessage::getMessage))
                .ifPresent(problem -> {
                    String at = problem.getProperty() != null ? problem.getProperty()
                            : problem.getInstanceLocation().toString().replaceFirst("^\\$\\.?", "");
                    throw new InvalidToolCallException("args" + (at.isEmpty() ? "" : "." + at),
                            name + ": " + problem.getMessage().replaceFirst("^\\$\\.?", ""));
                });
        return tool;
    }
}
