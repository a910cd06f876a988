package io.aidesk.webhooks;

import io.aidesk.ingestion.crawl.CrawlerSettings;
import io.aidesk.ingestion.crawl.OutboundAddresses;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Webhooks are delivered as aidesk.webhooks.* says, to the addresses the crawler's policy (aidesk.crawler.*) allows. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebhookSettings.class)
class WebhookConfig {
    @Bean
    OutboundAddresses webhookAddresses(CrawlerSettings crawler) {
        return new OutboundAddresses(crawler);
    }
}
