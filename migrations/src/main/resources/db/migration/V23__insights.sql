-- Insights: one row per copilot or autopilot run and one per approval, with what a support lead counts (outcome,
-- handover reason, intent, tickets, drafts, usage, latency) and no text, so the figures need no log_content and
-- survive an erasure unchanged. Aggregated per day, week or month when read.
CREATE TABLE ai_insight_runs (
    tenant_id         VARCHAR(128) NOT NULL,
    run_id            VARCHAR(64)  NOT NULL,
    conversation_id   VARCHAR(64),
    mode              VARCHAR(16)  NOT NULL,
    started_at        TIMESTAMPTZ  NOT NULL,
    drafted_at        TIMESTAMPTZ,
    replied_at        TIMESTAMPTZ,
    ended_at          TIMESTAMPTZ,
    outcome           VARCHAR(16)  NOT NULL CHECK (outcome IN ('running', 'completed', 'escalated', 'failed')),
    intent            VARCHAR(16),
    confidence        DOUBLE PRECISION,
    handoff_reason    VARCHAR(32),
    reopened          BOOLEAN      NOT NULL DEFAULT false,
    tickets           INTEGER      NOT NULL DEFAULT 0,
    model             VARCHAR(128),
    tokens_in         INTEGER,
    tokens_out        INTEGER,
    cost_usd          DOUBLE PRECISION,
    draft_outcome     VARCHAR(16),
    draft_helpful     BOOLEAN,
    PRIMARY KEY (tenant_id, run_id)
);
CREATE INDEX ai_insight_runs_started_idx ON ai_insight_runs (tenant_id, started_at);
CREATE INDEX ai_insight_runs_conversation_idx ON ai_insight_runs (tenant_id, conversation_id, replied_at);

CREATE TABLE ai_insight_approvals (
    tenant_id    VARCHAR(128) NOT NULL,
    run_id       VARCHAR(64)  NOT NULL,
    call_id      VARCHAR(160) NOT NULL,
    tool         VARCHAR(64)  NOT NULL,
    requested_at TIMESTAMPTZ  NOT NULL,
    decided_at   TIMESTAMPTZ,
    decision     VARCHAR(16)  NOT NULL CHECK (decision IN ('pending', 'approved', 'rejected', 'expired')),
    PRIMARY KEY (tenant_id, run_id, call_id)
);
CREATE INDEX ai_insight_approvals_requested_idx ON ai_insight_approvals (tenant_id, requested_at);

ALTER TABLE ai_insight_runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE ai_insight_approvals ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ai_insight_runs
    USING (tenant_id = aidesk_current_tenant()) WITH CHECK (tenant_id = aidesk_current_tenant());
CREATE POLICY tenant_isolation ON ai_insight_approvals
    USING (tenant_id = aidesk_current_tenant()) WITH CHECK (tenant_id = aidesk_current_tenant());
