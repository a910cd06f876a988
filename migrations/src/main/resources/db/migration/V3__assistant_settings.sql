-- Read model of each tenant's assistant settings (written by the assistant-settings projection).
CREATE TABLE ai_assistant_settings (
    tenant_id            VARCHAR(128)     NOT NULL,
    copilot_enabled      BOOLEAN          NOT NULL,
    autopilot_enabled    BOOLEAN          NOT NULL,
    confidence_threshold DOUBLE PRECISION NOT NULL CHECK (confidence_threshold BETWEEN 0 AND 1),
    allowed_tools        JSONB            NOT NULL,
    escalation_rules     JSONB            NOT NULL,
    log_content          VARCHAR(16)      NOT NULL CHECK (log_content IN ('full', 'redacted', 'none')),
    required_fields      JSONB            NOT NULL,
    revision             BIGINT           NOT NULL,
    updated_at           TIMESTAMPTZ      NOT NULL,
    updated_by           VARCHAR(255)     NOT NULL,
    PRIMARY KEY (tenant_id)
);

ALTER TABLE ai_assistant_settings ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ai_assistant_settings
    USING (tenant_id = aidesk_current_tenant())
    WITH CHECK (tenant_id = aidesk_current_tenant());
