-- The autopilot (issue 5): conversations a person has taken over, the runs and their tool calls as read models, and
-- db-scheduler's table for deadlines that survive a restart (approval expiry).
ALTER TABLE ai_conversations ADD COLUMN status VARCHAR(16) NOT NULL DEFAULT 'active';
-- a tenant's own approval deadline; null keeps the platform's default
ALTER TABLE ai_assistant_settings ADD COLUMN approval_timeout_minutes INTEGER
    CHECK (approval_timeout_minutes BETWEEN 1 AND 43200);

CREATE TABLE ai_runs (
    id              VARCHAR(64)   NOT NULL PRIMARY KEY,
    tenant_id       VARCHAR(128)  NOT NULL,
    conversation_id VARCHAR(64),
    message_id      VARCHAR(64),
    mode            VARCHAR(16)   NOT NULL,
    status          VARCHAR(24)   NOT NULL,
    input           TEXT          NOT NULL,
    input_hash      VARCHAR(64)   NOT NULL,
    intent          VARCHAR(16),
    confidence      DOUBLE PRECISION,
    needs_human     BOOLEAN,
    missing_fields  JSONB         NOT NULL DEFAULT '[]',
    reply           TEXT,
    handoff_reason  VARCHAR(32),
    model           VARCHAR(128),
    tokens_in       INTEGER,
    tokens_out      INTEGER,
    latency_ms      BIGINT,
    cost_estimate   NUMERIC(12,6),
    output_json     TEXT,
    started_by      VARCHAR(128)  NOT NULL,
    started_at      TIMESTAMPTZ   NOT NULL,
    updated_at      TIMESTAMPTZ   NOT NULL
);
CREATE INDEX ai_runs_tenant_idx ON ai_runs (tenant_id, started_at DESC);
CREATE INDEX ai_runs_conversation_idx ON ai_runs (tenant_id, conversation_id);

-- every tool call a run proposed, with what the policy, the approver and the CRM made of it
CREATE TABLE ai_actions_log (
    call_id             VARCHAR(64)  NOT NULL PRIMARY KEY,
    tenant_id           VARCHAR(128) NOT NULL,
    run_id              VARCHAR(64)  NOT NULL REFERENCES ai_runs (id) ON DELETE CASCADE,
    position            INTEGER      NOT NULL,
    tool_name           VARCHAR(64)  NOT NULL,
    args                JSONB        NOT NULL,
    args_hash           VARCHAR(64)  NOT NULL,
    status              VARCHAR(24)  NOT NULL,
    requires_approval   BOOLEAN      NOT NULL,
    reason              TEXT,
    result              JSONB,
    success             BOOLEAN,
    error               TEXT,
    deadline            TIMESTAMPTZ,
    approved_by_user_id VARCHAR(128),
    decided_by          VARCHAR(128),
    decided_at          TIMESTAMPTZ,
    requested_at        TIMESTAMPTZ  NOT NULL
);
CREATE INDEX ai_actions_log_tenant_idx ON ai_actions_log (tenant_id, run_id, position);
CREATE INDEX ai_actions_log_approvals_idx ON ai_actions_log (tenant_id, requires_approval, status, requested_at DESC);

ALTER TABLE ai_runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE ai_actions_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ai_runs
    USING (tenant_id = aidesk_current_tenant()) WITH CHECK (tenant_id = aidesk_current_tenant());
CREATE POLICY tenant_isolation ON ai_actions_log
    USING (tenant_id = aidesk_current_tenant()) WITH CHECK (tenant_id = aidesk_current_tenant());

-- db-scheduler (Axon's DbSchedulerDeadlineManager): the deadline's scope carries the tenant in its metadata
CREATE TABLE scheduled_tasks (
    task_name            TEXT                     NOT NULL,
    task_instance        TEXT                     NOT NULL,
    task_data            BYTEA,
    execution_time       TIMESTAMP WITH TIME ZONE NOT NULL,
    picked               BOOLEAN                  NOT NULL,
    picked_by            TEXT,
    last_success         TIMESTAMP WITH TIME ZONE,
    last_failure         TIMESTAMP WITH TIME ZONE,
    consecutive_failures INT,
    last_heartbeat       TIMESTAMP WITH TIME ZONE,
    version              BIGINT                   NOT NULL,
    priority             SMALLINT,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX scheduled_tasks_execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX scheduled_tasks_last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX scheduled_tasks_priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);
