package io.aidesk.app.docs;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.api.tenancy.Caller;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** OpenAPI at /v3/api-docs and Swagger UI at /swagger-ui.html, with the CRM's JWT as the one security scheme. */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfig {
    static {
        // the caller comes from the token, never from the request: keep it out of the documented parameters
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
    }

    /** Schemas read through the API's own mapper, so their fields are named as the API spells them (snake_case). */
    @Bean
    ModelResolver modelResolver(ObjectMapper objectMapper) {
        return new ModelResolver(objectMapper);
    }

    @Bean
    OpenAPI aiDeskApi() {
        return new OpenAPI()
                .info(new Info().title("AI Desk API").version("0.1")
                        .description("Knowledge, copilot, autopilot and audit for each tenant of the CRM. "
                                + "The tenant is always the 'tid' claim of the bearer token."))
                .components(new Components().addSecuritySchemes("crm-jwt", new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")))
                .addSecurityItem(new SecurityRequirement().addList("crm-jwt"));
    }
}
