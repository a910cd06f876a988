-- The built-in CRM the tools act on in the embedded default, the demo and the tests (DESIGN §4).
CREATE TABLE crm_contacts (
    id          VARCHAR(64)  NOT NULL PRIMARY KEY,
    tenant_id   VARCHAR(128) NOT NULL,
    name        VARCHAR(200) NOT NULL,
    email       VARCHAR(320),
    phone       VARCHAR(40),
    fields      JSONB        NOT NULL DEFAULT '{}',
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX crm_contacts_tenant_idx ON crm_contacts (tenant_id, created_at DESC);

CREATE TABLE crm_subscriptions (
    id             VARCHAR(64)   NOT NULL PRIMARY KEY,
    tenant_id      VARCHAR(128)  NOT NULL,
    contact_id     VARCHAR(64)   NOT NULL REFERENCES crm_contacts (id) ON DELETE CASCADE,
    plan           VARCHAR(64)   NOT NULL,
    status         VARCHAR(16)   NOT NULL DEFAULT 'active',
    credit_balance NUMERIC(12,2) NOT NULL DEFAULT 0,
    currency       CHAR(3)       NOT NULL DEFAULT 'USD',
    updated_at     TIMESTAMPTZ   NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, contact_id)
);

CREATE TABLE crm_tickets (
    id          VARCHAR(64)  NOT NULL PRIMARY KEY,
    tenant_id   VARCHAR(128) NOT NULL,
    contact_id  VARCHAR(64)  NOT NULL REFERENCES crm_contacts (id) ON DELETE CASCADE,
    subject     VARCHAR(300) NOT NULL,
    priority    VARCHAR(16)  NOT NULL,
    summary     TEXT         NOT NULL,
    tags        JSONB        NOT NULL DEFAULT '[]',
    status      VARCHAR(16)  NOT NULL DEFAULT 'open',
    created_by  VARCHAR(128) NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX crm_tickets_tenant_idx ON crm_tickets (tenant_id, created_at DESC);

CREATE TABLE crm_tasks (
    id          VARCHAR(64)  NOT NULL PRIMARY KEY,
    tenant_id   VARCHAR(128) NOT NULL,
    assignee_id VARCHAR(128) NOT NULL,
    due_at      TIMESTAMPTZ  NOT NULL,
    note        TEXT         NOT NULL,
    created_by  VARCHAR(128) NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX crm_tasks_tenant_idx ON crm_tasks (tenant_id, due_at);

CREATE TABLE crm_notes (
    id              VARCHAR(64)  NOT NULL PRIMARY KEY,
    tenant_id       VARCHAR(128) NOT NULL,
    conversation_id VARCHAR(64)  NOT NULL,
    note            TEXT         NOT NULL,
    created_by      VARCHAR(128) NOT NULL,
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX crm_notes_tenant_idx ON crm_notes (tenant_id, conversation_id, created_at);

-- exactly once: a tool call's idempotency key (run id, call id) is taken by its first execution, whose result a
-- retry, a redelivery or a second node gets back instead of acting again
CREATE TABLE crm_tool_executions (
    tenant_id       VARCHAR(128) NOT NULL,
    idempotency_key VARCHAR(160) NOT NULL,
    tool            VARCHAR(64)  NOT NULL,
    result          JSONB        NOT NULL,
    executed_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, idempotency_key)
);
CREATE INDEX crm_tool_executions_tenant_idx ON crm_tool_executions (tenant_id, executed_at DESC);

ALTER TABLE crm_contacts ENABLE ROW LEVEL SECURITY;
ALTER TABLE crm_subscriptions ENABLE ROW LEVEL SECURITY;
ALTER TABLE crm_tickets ENABLE ROW LEVEL SECURITY;
ALTER TABLE crm_tasks ENABLE ROW LEVEL SECURITY;
ALTER TABLE crm_notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE crm_tool_executions ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON crm_contacts
    USING (tenant_id = aidesk_current_tenant()) WITH CHECK (tenant_id = aidesk_current_tenant());
CREATE POLICY tenant_isolation ON crm_subscriptions
    USING (tenant_id = aidesk_current_tenant()) WITH CHECK (tenant_id = aidesk_current_tenant());
CREATE POLICY tenant_isolation ON crm_tickets
    USING (tenant_id = aidesk_current_tenant()) WITH CHECK (tenant_id = aidesk_current_tenant());
CREATE POLICY tenant_isolation ON crm_tasks
    USING (tenant_id = aidesk_current_tenant()) WITH CHECK (tenant_id = aidesk_current_tenant());
CREATE POLICY tenant_isolation ON crm_notes
    USING (tenant_id = aidesk_current_tenant()) WITH CHECK (tenant_id = aidesk_current_tenant());
CREATE POLICY tenant_isolation ON crm_tool_executions
    USING (tenant_id = aidesk_current_tenant()) WITH CHECK (tenant_id = aidesk_current_tenant());
