-- Every tenant table's index is led by its tenant: the outbox's memory of runs too.
DROP INDEX ai_webhook_runs_started_idx;
CREATE INDEX ai_webhook_runs_tenant_idx ON ai_webhook_runs (tenant_id, started_at);
-- The deliveries' due and lane indexes stay led by time and endpoint: only aidesk_webhook_claim() reads across
-- tenants, and it reads by those.
