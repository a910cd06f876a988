package io.aidesk.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** AI Desk: one Spring Boot process with the command side, sagas, workers, projections and the read API. */
@SpringBootApplication(scanBasePackages = "io.aidesk")
public class AiDeskApplication {
    public static void main(String[] args) {
        SpringApplication.run(AiDeskApplication.class, args);
    }
}
