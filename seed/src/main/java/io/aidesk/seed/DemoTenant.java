package io.aidesk.seed;

import io.aidesk.api.settings.SettingsPatch;
import io.aidesk.api.tenancy.TenantId;

import java.util.List;
import java.util.Map;

/** A demo tenant and the assistant settings its admin would have chosen. */
public record DemoTenant(TenantId id, String name, SettingsPatch settings) {

    public static final List<DemoTenant> ALL = List.of(
            new DemoTenant(new TenantId("acme"), "Acme Plumbing",
                    new SettingsPatch(true, true, 0.75, null, null, "redacted", Map.of())),
            new DemoTenant(new TenantId("globex"), "Globex Insurance",
                    new SettingsPatch(true, true, 0.8, null, null, "redacted",
                            Map.of("billing", List.of("policy_number")))));
}
