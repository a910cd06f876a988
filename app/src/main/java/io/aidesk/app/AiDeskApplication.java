package io.aidesk.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/** AI Desk: one Spring Boot process with the command side, sagas, workers, projections and the read API. */
@SpringBootApplication(scanBasePackages = "io.aidesk")
@EnableScheduling
public class AiDeskApplication {
    public static void main(String[] args) {
        // AI Desk runs on closed networks: no update check, no console banner
        System.setProperty("axoniq.update-checker.disabled", "true");
        System.setProperty("disable-axoniq-console-message", "true");
        SpringApplication.run(AiDeskApplication.class, args);
    }
}
