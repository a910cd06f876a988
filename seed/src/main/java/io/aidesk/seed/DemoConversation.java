package io.aidesk.seed;

import io.aidesk.api.tenancy.TenantId;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * A conversation the demo starts with a customer's messages, each posted once the autopilot has answered the one
 * before. Its ids derive from the tenant and the key, so a second seeding finds what the first made.
 */
public record DemoConversation(String key, String contactEmail, String channel, String subject, List<String> messages) {
    public DemoConversation {
        messages = List.copyOf(messages);
    }

    public String id(TenantId tenant) {
        return uuid(tenant.value() + "/conversation/" + key);
    }

    public String messageId(TenantId tenant, int index) {
        return uuid(tenant.value() + "/conversation/" + key + "/message/" + index);
    }

    private static String uuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
