-- The audit's read side (issue 6): the chunks each run read, with their text as it was used, and what the run list
-- filters on. Texts follow the tenant's log_content: full, masked identifiers, or (none) only hashes and lengths.
CREATE TABLE ai_run_citations (
    tenant_id        VARCHAR(128)     NOT NULL,
    run_id           VARCHAR(64)      NOT NULL REFERENCES ai_runs (id) ON DELETE CASCADE,
    position         INTEGER          NOT NULL,
    chunk_id         VARCHAR(64)      NOT NULL,
    document_id      VARCHAR(64),
    source_id        VARCHAR(64),
    title            TEXT,
    url              TEXT,
    score            DOUBLE PRECISION NOT NULL,
    content_hash     VARCHAR(64),
    document_version INTEGER,
    text             TEXT,
    text_length      INTEGER,
    cited            BOOLEAN          NOT NULL DEFAULT false,
    PRIMARY KEY (tenant_id, run_id, position)
);
ALTER TABLE ai_run_citations ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ai_run_citations
    USING (tenant_id = aidesk_current_tenant()) WITH CHECK (tenant_id = aidesk_current_tenant());

ALTER TABLE ai_runs ADD COLUMN input_length INTEGER;
ALTER TABLE ai_runs ADD COLUMN reply_hash VARCHAR(64);
ALTER TABLE ai_runs ADD COLUMN reply_length INTEGER;
ALTER TABLE ai_runs ADD COLUMN dropped_citations JSONB NOT NULL DEFAULT '[]';
ALTER TABLE ai_runs ADD COLUMN failure_kind VARCHAR(32);
ALTER TABLE ai_runs ADD COLUMN log_content VARCHAR(16);
ALTER TABLE ai_runs ADD COLUMN ended_at TIMESTAMPTZ;
-- newest first with a stable tie-break: the run list's cursor is (started_at, id)
DROP INDEX ai_runs_tenant_idx;
CREATE INDEX ai_runs_tenant_idx ON ai_runs (tenant_id, started_at DESC, id DESC);
CREATE INDEX ai_actions_log_tool_idx ON ai_actions_log (tenant_id, tool_name, run_id);

ALTER TABLE ai_messages ADD COLUMN text_hash VARCHAR(64);
ALTER TABLE ai_messages ADD COLUMN text_length INTEGER;
