-- Replays: a proposed change rehearsed on past customer messages. ai_replays and ai_replay_items are the read model
-- of the Replay aggregate (each item's original and replayed outcome, and what differs); the work itself is a
-- durable db-scheduler job on a table of its own, a batch of items at a time, so every tenant's replay takes turns.
CREATE TABLE ai_replays (
    replay_id    VARCHAR(64)  NOT NULL PRIMARY KEY,
    tenant_id    VARCHAR(128) NOT NULL,
    status       VARCHAR(16)  NOT NULL CHECK (status IN ('running', 'completed', 'cancelled')),
    description  TEXT         NOT NULL,
    selection    TEXT         NOT NULL,
    model        VARCHAR(128),
    current      JSONB        NOT NULL,
    proposed     JSONB        NOT NULL,
    items        INTEGER      NOT NULL,
    requested_by VARCHAR(128) NOT NULL,
    started_at   TIMESTAMPTZ  NOT NULL,
    ended_at     TIMESTAMPTZ
);
CREATE INDEX ai_replays_tenant_idx ON ai_replays (tenant_id, started_at DESC);

CREATE TABLE ai_replay_items (
    tenant_id       VARCHAR(128) NOT NULL,
    replay_id       VARCHAR(64)  NOT NULL REFERENCES ai_replays (replay_id) ON DELETE CASCADE,
    idx             INTEGER      NOT NULL,
    conversation_id VARCHAR(64),
    message_id      VARCHAR(64),
    original_run_id VARCHAR(64),
    question        TEXT,
    replay_run_id   VARCHAR(64),
    original        JSONB,
    replayed        JSONB,
    differences     JSONB,
    outcome_changed BOOLEAN,
    replayed_at     TIMESTAMPTZ,
    PRIMARY KEY (replay_id, idx)
);
CREATE INDEX ai_replay_items_tenant_idx ON ai_replay_items (tenant_id, replay_id);

ALTER TABLE ai_replays ENABLE ROW LEVEL SECURITY;
ALTER TABLE ai_replay_items ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ai_replays
    USING (tenant_id = aidesk_current_tenant()) WITH CHECK (tenant_id = aidesk_current_tenant());
CREATE POLICY tenant_isolation ON ai_replay_items
    USING (tenant_id = aidesk_current_tenant()) WITH CHECK (tenant_id = aidesk_current_tenant());

CREATE TABLE ai_replay_jobs (
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
CREATE INDEX ai_replay_jobs_execution_time_idx ON ai_replay_jobs (execution_time);
CREATE INDEX ai_replay_jobs_last_heartbeat_idx ON ai_replay_jobs (last_heartbeat);
CREATE INDEX ai_replay_jobs_priority_execution_time_idx ON ai_replay_jobs (priority DESC, execution_time ASC);
