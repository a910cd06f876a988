package io.aidesk.seed;

import java.util.List;

/** A person of a demo tenant; the id says the tenant too (ana@acme), since the demo signs in by user id alone. */
public record DemoUser(String userId, String name, List<String> roles) {
    public DemoUser {
        roles = List.copyOf(roles);
    }
}
