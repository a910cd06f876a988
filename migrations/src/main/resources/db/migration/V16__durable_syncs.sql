-- Syncs as durable jobs (db-scheduler on a table of their own, so a long sync never holds the threads that expire
-- approvals), the crawl's frontier kept as it goes (a sync that resumes after a crash fetches no page twice), a short
-- history of every source's syncs, and each source's re-sync schedule.

CREATE TABLE ai_kb_sync_jobs (
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
CREATE INDEX ai_kb_sync_jobs_execution_time_idx ON ai_kb_sync_jobs (execution_time);
CREATE INDEX ai_kb_sync_jobs_last_heartbeat_idx ON ai_kb_sync_jobs (last_heartbeat);
CREATE INDEX ai_kb_sync_jobs_priority_execution_time_idx ON ai_kb_sync_jobs (priority DESC, execution_time ASC);

-- one row per URL a sync found: queued until fetched, then what became of it
CREATE TABLE ai_kb_sync_pages (
    tenant_id        VARCHAR(128) NOT NULL,
    sync_id          VARCHAR(64)  NOT NULL,
    seq              BIGSERIAL    NOT NULL,
    url              TEXT         NOT NULL,
    state            VARCHAR(10)  NOT NULL CHECK (state IN ('queued', 'indexed', 'failed', 'gone', 'skipped', 'disallowed',
                                                          'claimed')),
    new_chunks       INTEGER      NOT NULL DEFAULT 0,
    unchanged_chunks INTEGER      NOT NULL DEFAULT 0,
    removed_chunks   INTEGER      NOT NULL DEFAULT 0,
    indexed_url      TEXT,
    reason           TEXT,
    PRIMARY KEY (tenant_id, sync_id, url)
);
CREATE INDEX ai_kb_sync_pages_queue_idx ON ai_kb_sync_pages (tenant_id, sync_id, seq);

CREATE TABLE ai_kb_sync_history (
    sync_id     VARCHAR(64)  NOT NULL PRIMARY KEY,
    tenant_id   VARCHAR(128) NOT NULL,
    source_id   VARCHAR(64)  NOT NULL,
    trigger     VARCHAR(16)  NOT NULL CHECK (trigger IN ('manual', 'scheduled')),
    status      VARCHAR(16)  NOT NULL CHECK (status IN ('queued', 'syncing', 'ok', 'failed', 'cancelled')),
    requested_at TIMESTAMPTZ NOT NULL,
    started_at  TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    counts      JSONB,
    error       TEXT,
    errors      JSONB        NOT NULL DEFAULT '[]'
);
CREATE INDEX ai_kb_sync_history_source_idx ON ai_kb_sync_history (tenant_id, source_id, requested_at DESC);

-- when each source syncs by itself next, and why later than its schedule says (failures back it off)
CREATE TABLE ai_kb_sync_schedule (
    source_id        VARCHAR(64)  NOT NULL PRIMARY KEY,
    tenant_id        VARCHAR(128) NOT NULL,
    -- 0: off
    every_seconds    BIGINT       NOT NULL,
    syncing          BOOLEAN      NOT NULL DEFAULT TRUE,
    last_finished_at TIMESTAMPTZ,
    failures         INTEGER      NOT NULL DEFAULT 0,
    next_at          TIMESTAMPTZ,
    backoff          TEXT
);
CREATE INDEX ai_kb_sync_schedule_tenant_idx ON ai_kb_sync_schedule (tenant_id);

ALTER TABLE ai_kb_sources DROP CONSTRAINT ai_kb_sources_status_check;
ALTER TABLE ai_kb_sources ADD CONSTRAINT ai_kb_sources_status_check
    CHECK (status IN ('idle', 'queued', 'syncing', 'ok', 'failed', 'cancelled'));

ALTER TABLE ai_kb_sync_pages ENABLE ROW LEVEL SECURITY;
ALTER TABLE ai_kb_sync_history ENABLE ROW LEVEL SECURITY;
ALTER TABLE ai_kb_sync_schedule ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ai_kb_sync_pages
    USING (tenant_id = aidesk_current_tenant()) WITH CHECK (tenant_id = aidesk_current_tenant());
CREATE POLICY tenant_isolation ON ai_kb_sync_history
    USING (tenant_id = aidesk_current_tenant()) WITH CHECK (tenant_id = aidesk_current_tenant());
CREATE POLICY tenant_isolation ON ai_kb_sync_schedule
    USING (tenant_id = aidesk_current_tenant()) WITH CHECK (tenant_id = aidesk_current_tenant());
