package io.aidesk.app.rebuild;

import io.aidesk.api.tenancy.Caller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** An admin resets the tenant's read models and replays them from the event store (./aidesk replay calls this). */
@RestController
class RebuildController {
    private final ReadModelRebuild rebuild;

    RebuildController(ReadModelRebuild rebuild) {
        this.rebuild = rebuild;
    }

    @PostMapping("/api/ai/admin/replay")
    ReadModelRebuild.Result replay(Caller caller) {
        return rebuild.rebuild(caller.tenantId().value());
    }
}
