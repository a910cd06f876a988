package io.aidesk.ingestion.sync;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/** At most N syncs of one tenant run at once on this node, so one tenant's crawls never take every worker. */
@Component
class TenantSlots {
    private final int perTenant;
    private final Map<String, Semaphore> slots = new ConcurrentHashMap<>();

    TenantSlots(@Value("${aidesk.ingestion.syncs-per-tenant:2}") int perTenant) {
        this.perTenant = perTenant;
    }

    Semaphore of(String tenant) {
        return slots.computeIfAbsent(tenant, t -> new Semaphore(perTenant, true));
    }
}
