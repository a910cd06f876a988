-- A URL source's credentials (https://user:pass@host/...) are its secret, never part of its URL: sealed by the
-- application with its master key, bound to the tenant and the source, read only by the crawler.
CREATE TABLE ai_kb_source_secrets (
    tenant_id  VARCHAR(128) NOT NULL,
    source_id  VARCHAR(64)  NOT NULL,
    -- nonce | AES-256-GCM(master key, the user name and password)
    secret     BYTEA        NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, source_id)
);

ALTER TABLE ai_kb_source_secrets ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ai_kb_source_secrets
    USING (tenant_id = aidesk_current_tenant()) WITH CHECK (tenant_id = aidesk_current_tenant());

-- sources added before this kept their credentials in the URL: the read model shows them no more (their events are
-- read without them too, see SourceUrlUpcaster)
UPDATE ai_kb_sources SET url = regexp_replace(url, '^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#@]*@', '\1')
WHERE url ~ '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#@]*@';
