package io.aidesk.command.crm;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.time.Duration;

/**
 * The host CRM's action API (aidesk.crm.http.*), used when aidesk.crm.adapter=http.
 *
 * @param baseUrl      actions are POSTed to {baseUrl}/ai-desk/actions/{tool}
 * @param serviceToken sent as a Bearer token
 * @param retries      further tries after a timeout, a 5xx or a refused connection
 */
@ConfigurationProperties("aidesk.crm.http")
public record HttpCrmSettings(URI baseUrl, String serviceToken, @DefaultValue("10s") Duration timeout,
                              @DefaultValue("2") int retries, @DefaultValue("500ms") Duration backoff) {
}
