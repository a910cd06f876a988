package io.aidesk.gateway.embedding;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.concurrent.Executors;

/** The embedded default: the offline BGE model on a small pool of its own (the machine has two cores). */
@Configuration(proxyBeanMethods = false)
public class EmbeddingConfig {

    @Bean
    EmbeddingModel embeddingModel(MeterRegistry registry) {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        return new MeteredEmbeddingModel(new OfflineEmbeddingModel(Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "aidesk-embedding");
            thread.setDaemon(true);
            return thread;
        })), registry);
    }
}
