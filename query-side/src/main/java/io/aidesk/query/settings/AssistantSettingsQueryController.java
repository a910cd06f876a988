package io.aidesk.query.settings;

import io.aidesk.api.settings.AssistantSettingsView;
import io.aidesk.api.settings.FindAssistantSettings;
import io.aidesk.api.tenancy.Caller;
import io.aidesk.api.Queries;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Any role of a tenant may read its assistant settings. */
@RestController
@RequestMapping("/api/ai/settings")
class AssistantSettingsQueryController {

    private final QueryGateway queryGateway;

    AssistantSettingsQueryController(QueryGateway queryGateway) {
        this.queryGateway = queryGateway;
    }

    /** The caller is resolved from the token so the tenant is never taken from the request. */
    @GetMapping
    AssistantSettingsView get(Caller caller) {
        return Queries.await(queryGateway.query(new FindAssistantSettings(), AssistantSettingsView.class));
    }
}
