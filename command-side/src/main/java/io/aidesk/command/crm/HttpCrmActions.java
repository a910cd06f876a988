package io.aidesk.command.crm;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.command.tools.InvalidToolCallException;
import io.aidesk.command.tools.ToolCall;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs tool calls through the host CRM's REST API with a service token: POST {base}/ai-desk/actions/{tool} with the
 * tenant, the arguments and the actor, and the call's idempotency key as Idempotency-Key. A 2xx JSON object is the
 * result; a 4xx refuses the call (its problem's detail and field are kept); timeouts, 5xx and refused connections are
 * tried again, then reported as the CRM being unavailable.
 */
@Component
@ConditionalOnProperty(name = "aidesk.crm.adapter", havingValue = "http")
@EnableConfigurationProperties(HttpCrmSettings.class)
public class HttpCrmActions implements CrmActions {
    private final HttpCrmSettings settings;
    private final ObjectMapper json;
    private final HttpClient http;

    public HttpCrmActions(HttpCrmSettings settings, ObjectMapper json) {
        if (settings.baseUrl() == null || settings.baseUrl().toString().isBlank() || settings.serviceToken() == null
                || settings.serviceToken().isBlank()) {
            throw new IllegalStateException("aidesk.crm.adapter=http needs aidesk.crm.http.base-url and "
                    + "aidesk.crm.http.service-token (AIDESK_CRM_URL, AIDESK_CRM_TOKEN)");
        }
        this.settings = settings;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
    }

    @Override
    public Map<String, Object> perform(ToolCall call) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenant_id", call.tenantId());
        body.put("tool", call.tool());
        body.put("args", call.args());
        body.put("actor", call.actor());
        body.put("idempotency_key", call.idempotencyKey());
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(settings.baseUrl().toString().replaceAll("/+$", "")
                            + "/ai-desk/actions/" + call.tool()))
                    .timeout(settings.timeout())
                    .header("Authorization", "Bearer " + settings.serviceToken())
                    .header("Idempotency-Key", call.idempotencyKey())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                    .build();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a tool call for the CRM", e);
        }
        Exception last = null;
        for (int attempt = 0; attempt <= settings.retries(); attempt++) {
            if (attempt > 0) {
                pause(attempt);
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return result(response.body());
                }
                if (status >= 400 && status < 500) {
                    throw refusal(call, status, response.body());
                }
                last = new IOException("the CRM answered " + status);
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CrmUnavailableException("interrupted while calling the CRM", e);
            }
        }
        throw new CrmUnavailableException("the CRM did not answer " + call.tool() + " after " + (settings.retries() + 1)
                + " tries: " + last.getMessage(), last);
    }

    private Map<String, Object> result(String body) throws IOException {
        if (body == null || body.isBlank()) {
            return Map.of();
        }
        JsonNode node = json.readTree(body);
        if (!node.isObject()) {
            throw new IOException("the CRM answered something other than a JSON object");
        }
        return json.convertValue(node, new TypeReference<Map<String, Object>>() { });
    }

    private InvalidToolCallException refusal(ToolCall call, int status, String body) {
        String field = "tool";
        String detail = "the CRM refused " + call.tool() + " (" + status + ")";
        try {
            JsonNode problem = json.readTree(body == null ? "" : body);
            if (problem != null && problem.path("field").isTextual()) {
                field = "args." + problem.path("field").asText();
            }
            if (problem != null && problem.path("detail").isTextual()) {
                detail = detail + ": " + problem.path("detail").asText();
            }
        } catch (IOException notJson) {
            // the status says enough
        }
        return new InvalidToolCallException(field, detail);
    }

    private void pause(int attempt) {
        try {
            Thread.sleep(settings.backoff().toMillis() * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
