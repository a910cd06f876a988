package io.aidesk.webhooks;

import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookSignatureTest {

    /** The Standard Webhooks specification's own example: its secret, id, timestamp and body, and its signature. */
    @Test
    void signsAsTheSpecificationsExampleSays() {
        assertThat(WebhookSignature.sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330L, "{\"test\": 2432232314}")).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void aNewSecretIsThirtyTwoRandomBytesBehindThePrefix() {
        String one = WebhookSignature.newSecret();
        String two = WebhookSignature.newSecret();
        assertThat(one).startsWith("whsec_").isNotEqualTo(two);
        assertThat(Base64.getDecoder().decode(one.substring("whsec_".length()))).hasSize(32);
    }

    @Test
    void theSignatureChangesWithTheBodyTheIdAndTheTimestamp() {
        String secret = WebhookSignature.newSecret();
        String signed = WebhookSignature.sign(secret, "msg_1", 100, "{}");
        assertThat(WebhookSignature.sign(secret, "msg_1", 100, "{ }")).isNotEqualTo(signed);
        assertThat(WebhookSignature.sign(secret, "msg_2", 100, "{}")).isNotEqualTo(signed);
        assertThat(WebhookSignature.sign(secret, "msg_1", 101, "{}")).isNotEqualTo(signed);
        assertThatThrownBy(() -> WebhookSignature.sign("not-a-secret", "msg_1", 100, "{}"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
