package io.aidesk.saga.autopilot;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How the autopilot waits (aidesk.autopilot.*).
 *
 * @param approvalTimeout how long a sensitive call waits for an admin before it expires and never runs
 * @param settleWait      how long handle-message waits for a run to settle before answering 202
 */
@ConfigurationProperties("aidesk.autopilot")
public record AutopilotSettings(@DefaultValue("24h") Duration approvalTimeout, @DefaultValue("5s") Duration settleWait) {
}
