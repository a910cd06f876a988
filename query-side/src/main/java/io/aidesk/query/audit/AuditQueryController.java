package io.aidesk.query.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.aidesk.api.Queries;
import io.aidesk.api.audit.AuditQueries.ChainBreak;
import io.aidesk.api.audit.AuditQueries.ChainVerification;
import io.aidesk.api.audit.AuditQueries.VerifyChain;
import io.aidesk.api.tenancy.Caller;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Tamper evidence for auditors: is the tenant's event store still what its hash chain says it was (auditor, admin). */
@RestController
class AuditQueryController {
    private final QueryGateway queries;

    AuditQueryController(QueryGateway queries) {
        this.queries = queries;
    }

    /** The verification as answered: {@code broken_at} only when the chain breaks. */
    record Verification(boolean ok, long events, String head, @JsonInclude(JsonInclude.Include.NON_NULL) ChainBreak brokenAt) {
    }

    @GetMapping("/api/ai/audit/verify")
    Verification verify(Caller caller) {
        ChainVerification verification = Queries.await(queries.query(new VerifyChain(), ChainVerification.class));
        return new Verification(verification.ok(), verification.events(), verification.head(), verification.brokenAt());
    }
}
