package io.aidesk.seed;

import java.time.Duration;
import java.util.List;

/** Signs a token the running AI Desk accepts; the app signs with the secret it verifies with. */
public interface DemoTokens {
    String sign(String tenant, String userId, List<String> roles, Duration lifetime);
}
