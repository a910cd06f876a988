package io.aidesk.app.demo;

import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.tenancy.NotFoundException;
import io.aidesk.seed.DemoTenant;
import io.aidesk.seed.DemoUser;
import org.springframework.context.annotation.Conditional;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The demo's sign-in page lists the seeded users and signs in as one of them: a token for that user's tenant and
 * roles, as the CRM would issue it. The tenant comes from the seeded user, never from the client.
 */
@RestController
@RequestMapping("/api/demo")
@Conditional(DemoEnabled.SignIn.class)
class DemoSignInController {
    /** As long as ./aidesk token's. */
    static final Duration LIFETIME = Duration.ofHours(12);

    private final DemoTokenSigner signer;

    DemoSignInController(DemoTokenSigner signer) {
        this.signer = signer;
    }

    record UserView(String userId, String name, List<String> roles) {
    }

    record TenantView(String tenant, String name, List<UserView> users) {
    }

    record Users(List<TenantView> tenants) {
    }

    record SignIn(String userId) {
    }

    /** @param locale the tenant's language, which the screens open in (a CRM's token says it in its locale claim) */
    record SignedIn(String token, String tenant, String userId, String name, List<String> roles, Instant expiresAt,
                    String locale) {
    }

    @GetMapping("/users")
    Users users() {
        return new Users(DemoTenant.ALL.stream().map(tenant -> new TenantView(tenant.id().value(), tenant.name(),
                tenant.users().stream().map(user -> new UserView(user.userId(), user.name(), user.roles())).toList()))
                .toList());
    }

    @PostMapping(path = "/sign-in", consumes = MediaType.APPLICATION_JSON_VALUE)
    SignedIn signIn(@RequestBody SignIn body) {
        if (body.userId() == null || body.userId().isBlank()) {
            throw new InvalidCommandException("user_id", "send the id of a demo user, e.g. ana@acme (GET /api/demo/users)");
        }
        String userId = body.userId().strip();
        DemoTenant tenant = DemoTenant.of(userId).orElseThrow(() -> new NotFoundException("demo user"));
        DemoUser user = tenant.user(userId).orElseThrow();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = now.plus(LIFETIME);
        return new SignedIn(signer.sign(tenant.id().value(), user.userId(), user.roles(), now, expiresAt),
                tenant.id().value(), user.userId(), user.name(), user.roles(), expiresAt, tenant.language());
    }
}
