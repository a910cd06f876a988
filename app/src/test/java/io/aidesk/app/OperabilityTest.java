package io.aidesk.app;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OperabilityTest extends ApiTest {

    @Test
    void healthIsUpWithoutAToken() {
        Response health = get("/actuator/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asText()).isEqualTo("UP");
    }

    @Test
    void prometheusExposesMetrics() {
        Response metrics = get("/actuator/prometheus", null);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("http_server_requests");
    }

    @Test
    void theOpenApiDocumentDescribesTheSettingsApiAndItsBearerScheme() {
        Response docs = get("/v3/api-docs", null);
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.json().path("paths").has("/api/ai/settings")).isTrue();
        assertThat(docs.json().path("paths").path("/api/ai/settings").path("put").path("parameters").toString())
                .as("the caller is never a request parameter").doesNotContain("caller");
        assertThat(docs.json().path("components").path("securitySchemes").path("crm-jwt").path("scheme").asText())
                .isEqualTo("bearer");
        assertThat(get("/swagger-ui.html", null).status()).isIn(200, 302);
        assertThat(docs.body()).as("body fields are documented as the API reads them")
                .contains("\"top_k\"").doesNotContain("\"topK\"");
    }
}
