package io.aidesk.app;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Outside the demo (aidesk.demo.sign-in and aidesk.demo.seed unset) there is no sign-in and no help center. */
class DemoOffTest extends ApiTest {

    @Test
    void noSignInAndNoDemoSites() {
        String admin = token(newTenant(), "ana", "admin");

        assertThat(get("/api/demo/users", null).status()).as("the sign-in is not open").isEqualTo(401);
        assertThat(call("POST", "/api/demo/sign-in", null, "{\"user_id\": \"ana@acme\"}", Map.of()).status())
                .isEqualTo(401);
        assertThat(get("/api/demo/users", admin).status()).as("nor there at all").isEqualTo(404);
        assertThat(call("POST", "/api/demo/sign-in", admin, "{\"user_id\": \"ana@acme\"}", Map.of()).status())
                .isEqualTo(404);
        assertThat(get("/demo-sites/acme/help/hours", null).body()).doesNotContain("Opening hours");
        assertThat(get("/robots.txt", null).body()).doesNotContain("Disallow");
    }
}
