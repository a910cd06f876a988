package io.aidesk.ingestion;

import io.aidesk.ingestion.crawl.CrawlerSettings;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** The crawler's limits come from aidesk.crawler.* (the demo and test profiles allow loopback). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CrawlerSettings.class)
class IngestionConfig {
}
