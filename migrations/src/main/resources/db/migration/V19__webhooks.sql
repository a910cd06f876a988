-- Webhooks: each tenant's endpoints, the outbox of deliveries the webhooks processor fills from the event store, and
-- what that processor needs to know of a run (its conversation and contact) when a later event of the run names
-- neither.

CREATE TABLE ai_webhook_endpoints (
    endpoint_id     VARCHAR(64)  NOT NULL PRIMARY KEY,
    tenant_id       VARCHAR(128) NOT NULL,
    url             TEXT         NOT NULL,
    description     TEXT,
    event_types     TEXT[]       NOT NULL,
    status          VARCHAR(16)  NOT NULL CHECK (status IN ('active', 'paused', 'disabled')),
    disabled_reason TEXT,
    -- nonce | AES-256-GCM(master key, the whsec_ signing secret), bound to the tenant and the endpoint
    secret          BYTEA        NOT NULL,
    -- the first failed attempt of the current run of failures; null once a delivery succeeds
    failing_since   TIMESTAMPTZ,
    created_at      TIMESTAMPTZ  NOT NULL,
    created_by      VARCHAR(128) NOT NULL,
    updated_at      TIMESTAMPTZ  NOT NULL,
    updated_by      VARCHAR(128) NOT NULL
);
CREATE INDEX ai_webhook_endpoints_tenant_idx ON ai_webhook_endpoints (tenant_id, created_at);

CREATE TABLE ai_webhook_deliveries (
    -- the webhook-id header: the same for every attempt and a resend, so a receiver deduplicates by it
    delivery_id     VARCHAR(64)  NOT NULL PRIMARY KEY,
    seq             BIGSERIAL    NOT NULL,
    tenant_id       VARCHAR(128) NOT NULL,
    endpoint_id     VARCHAR(64)  NOT NULL REFERENCES ai_webhook_endpoints (endpoint_id) ON DELETE CASCADE,
    event_id        VARCHAR(64)  NOT NULL,
    event_type      VARCHAR(32)  NOT NULL,
    -- deliveries of one lane (a conversation, a source) reach an endpoint in the order their events were stored
    lane            VARCHAR(160) NOT NULL,
    contact_id      VARCHAR(128),
    payload         JSONB        NOT NULL,
    status          VARCHAR(16)  NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        INTEGER      NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ  NOT NULL,
    last_attempt_at TIMESTAMPTZ,
    last_status     INTEGER,
    last_error      TEXT,
    delivered_at    TIMESTAMPTZ,
    created_at      TIMESTAMPTZ  NOT NULL,
    UNIQUE (endpoint_id, event_id, event_type)
);
CREATE INDEX ai_webhook_deliveries_due_idx ON ai_webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX ai_webhook_deliveries_lane_idx ON ai_webhook_deliveries (endpoint_id, lane, seq) WHERE status = 'pending';
CREATE INDEX ai_webhook_deliveries_log_idx ON ai_webhook_deliveries (tenant_id, endpoint_id, seq DESC);
CREATE INDEX ai_webhook_deliveries_contact_idx ON ai_webhook_deliveries (tenant_id, contact_id);

CREATE TABLE ai_webhook_runs (
    run_id          VARCHAR(64)  NOT NULL PRIMARY KEY,
    tenant_id       VARCHAR(128) NOT NULL,
    conversation_id VARCHAR(64),
    contact_id      VARCHAR(128),
    mode            VARCHAR(16)  NOT NULL,
    started_at      TIMESTAMPTZ  NOT NULL
);
CREATE INDEX ai_webhook_runs_started_idx ON ai_webhook_runs (started_at);

ALTER TABLE ai_webhook_endpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE ai_webhook_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE ai_webhook_runs ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ai_webhook_endpoints
    USING (tenant_id = aidesk_current_tenant()) WITH CHECK (tenant_id = aidesk_current_tenant());
CREATE POLICY tenant_isolation ON ai_webhook_deliveries
    USING (tenant_id = aidesk_current_tenant()) WITH CHECK (tenant_id = aidesk_current_tenant());
CREATE POLICY tenant_isolation ON ai_webhook_runs
    USING (tenant_id = aidesk_current_tenant()) WITH CHECK (tenant_id = aidesk_current_tenant());

-- The delivery worker serves every tenant: this claims the next delivery due, the first pending one of its lane, to an
-- active endpoint, and locks it for the caller's transaction (other nodes skip it). It answers only which delivery
-- and whose; the worker then reads it scoped to that tenant.
CREATE FUNCTION aidesk_webhook_claim() RETURNS TABLE (tenant_id VARCHAR, delivery_id VARCHAR)
    LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT d.tenant_id, d.delivery_id
    FROM ai_webhook_deliveries d
    JOIN ai_webhook_endpoints e ON e.endpoint_id = d.endpoint_id AND e.status = 'active'
    WHERE d.status = 'pending' AND d.next_attempt_at <= now()
      AND NOT EXISTS (SELECT 1 FROM ai_webhook_deliveries earlier
                      WHERE earlier.endpoint_id = d.endpoint_id AND earlier.lane = d.lane
                        AND earlier.status = 'pending' AND earlier.seq < d.seq)
    ORDER BY d.next_attempt_at, d.seq
    LIMIT 1
    FOR UPDATE OF d SKIP LOCKED
$$;
REVOKE ALL ON FUNCTION aidesk_webhook_claim() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION aidesk_webhook_claim() TO ${app_role};
