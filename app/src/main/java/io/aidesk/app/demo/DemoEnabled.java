package io.aidesk.app.demo;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The demo's sign-in (aidesk.demo.sign-in, on in the demo profile): only where AI Desk signs its own tokens. With a
 * JWKS the CRM signs them, and a door that hands out tokens must not exist.
 */
final class DemoEnabled {
    static final String SIGN_IN = "aidesk.demo.sign-in";
    static final String SEED = "aidesk.demo.seed";

    private DemoEnabled() {
    }

    private static boolean ownTokens(ConditionContext context) {
        String jwks = context.getEnvironment().getProperty("aidesk.security.jwt.jwks-uri");
        return jwks == null || jwks.isBlank();
    }

    static final class SignIn implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return ownTokens(context) && context.getEnvironment().getProperty(SIGN_IN, Boolean.class, false);
        }
    }

    /** The signer: for the sign-in and for the seeder's own calls. */
    static final class Signer implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return ownTokens(context) && (context.getEnvironment().getProperty(SIGN_IN, Boolean.class, false)
                    || context.getEnvironment().getProperty(SEED, Boolean.class, false));
        }
    }
}
