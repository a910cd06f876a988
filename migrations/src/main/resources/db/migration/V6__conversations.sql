-- The inbox threads AI Desk works on and their messages (roles as a model reads them: user, assistant, system).
CREATE TABLE ai_conversations (
    id              VARCHAR(64)  NOT NULL PRIMARY KEY,
    tenant_id       VARCHAR(128) NOT NULL,
    channel         VARCHAR(16)  NOT NULL,
    contact_id      VARCHAR(128) NOT NULL,
    subject         VARCHAR(300),
    started_by      VARCHAR(128) NOT NULL,
    created_at      TIMESTAMPTZ  NOT NULL,
    last_message_at TIMESTAMPTZ
);
CREATE INDEX ai_conversations_tenant_idx ON ai_conversations (tenant_id, created_at DESC);
CREATE INDEX ai_conversations_contact_idx ON ai_conversations (tenant_id, contact_id);

CREATE TABLE ai_messages (
    id              VARCHAR(64)  NOT NULL PRIMARY KEY,
    tenant_id       VARCHAR(128) NOT NULL,
    conversation_id VARCHAR(64)  NOT NULL REFERENCES ai_conversations (id) ON DELETE CASCADE,
    position        INTEGER      NOT NULL,
    sender          VARCHAR(16)  NOT NULL,
    role            VARCHAR(16)  NOT NULL,
    text            TEXT         NOT NULL,
    posted_by       VARCHAR(128) NOT NULL,
    created_at      TIMESTAMPTZ  NOT NULL,
    UNIQUE (tenant_id, conversation_id, position)
);

ALTER TABLE ai_conversations ENABLE ROW LEVEL SECURITY;
ALTER TABLE ai_messages ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ai_conversations
    USING (tenant_id = aidesk_current_tenant()) WITH CHECK (tenant_id = aidesk_current_tenant());
CREATE POLICY tenant_isolation ON ai_messages
    USING (tenant_id = aidesk_current_tenant()) WITH CHECK (tenant_id = aidesk_current_tenant());
