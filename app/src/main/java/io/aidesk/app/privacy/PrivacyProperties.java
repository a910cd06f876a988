package io.aidesk.app.privacy;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How personal data in events is sealed.
 *
 * @param masterKey     the secret the contacts' keys are wrapped with (at least 32 characters)
 * @param masterKeyFile where to read it from when {@code masterKey} is empty (the launcher writes
 *                      .aidesk/privacy-master-key)
 * @param keyCacheTtl   how long a node trusts a key it read; an erasure on another node reaches it within this time
 */
@ConfigurationProperties("aidesk.privacy")
public record PrivacyProperties(String masterKey, String masterKeyFile, @DefaultValue("5s") Duration keyCacheTtl) {
}
