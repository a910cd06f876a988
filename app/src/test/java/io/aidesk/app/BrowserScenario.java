package io.aidesk.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** One browser scenario (ui/e2e/*.mjs): node with playwright-core driving Debian's Chromium against AI Desk. */
public final class BrowserScenario {
    static final Path UI = Path.of("..", "ui").toAbsolutePath().normalize();
    static final Path SCREENSHOTS = Path.of("target", "screenshots").toAbsolutePath();
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("AIDESK_CHROMIUM", "/usr/bin/chromium"));

    private BrowserScenario() {
    }

    /** What the scenarios need, installed by ./aidesk test (chromium) and the ui module's build (npm ci). */
    public static void requireBrowser() {
        assertThat(Files.isExecutable(CHROMIUM)).as("Debian's chromium at " + CHROMIUM
                + " (./aidesk test installs it: apt-get install chromium)").isTrue();
        assertThat(Files.isDirectory(UI.resolve("node_modules/playwright-core")))
                .as("playwright-core in ui/node_modules (the ui module's build runs npm ci)").isTrue();
    }

    /** Runs the scenario against AI Desk on this port, its output streamed into the test's; fails unless it exits 0. */
    public static void run(int port, String script, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("node", "e2e/" + script).directory(UI.toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("AIDESK_URL", "http://localhost:" + port);
        builder.environment().put("AIDESK_SCREENSHOTS", SCREENSHOTS.toString());
        builder.environment().put("AIDESK_CHROMIUM", CHROMIUM.toString());
        Process process = builder.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                System.out.println("[" + script + "] " + line);
            }
        }
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(script + " did not finish within 10 minutes");
        }
        assertThat(process.exitValue()).as(script + " failed: its steps are in the output above, the page at the "
                + "failure in " + SCREENSHOTS.resolve("failure.png")).isZero();
    }
}
