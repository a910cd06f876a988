-- A change of embedding model re-embeds every chunk in the background. The new vector waits beside the old one
-- until the whole tenant is done; queries keep using the old model until then, and the switch is one transaction.
ALTER TABLE ai_kb_chunks
    ADD COLUMN next_embedding vector,
    ADD COLUMN next_model     VARCHAR(64);

-- per tenant: the model whose vectors answer queries, the model being moved to, and how far the move has come
CREATE TABLE ai_kb_embedding_state (
    tenant_id     VARCHAR(128) NOT NULL PRIMARY KEY,
    serving_model VARCHAR(64)  NOT NULL,
    target_model  VARCHAR(64)  NOT NULL,
    reembedded    INTEGER      NOT NULL DEFAULT 0,
    remaining     INTEGER      NOT NULL DEFAULT 0,
    switched_at   TIMESTAMPTZ,
    updated_at    TIMESTAMPTZ  NOT NULL DEFAULT now()
);
ALTER TABLE ai_kb_embedding_state ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ai_kb_embedding_state
    USING (tenant_id = aidesk_current_tenant()) WITH CHECK (tenant_id = aidesk_current_tenant());

-- the background job must find the tenants to move without seeing their rows: tenant ids only, never content
CREATE FUNCTION aidesk_tenants_to_reembed(target TEXT) RETURNS SETOF VARCHAR
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
AS $$ SELECT DISTINCT tenant_id FROM ai_kb_chunks WHERE embedding_model <> target $$;
REVOKE ALL ON FUNCTION aidesk_tenants_to_reembed(TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION aidesk_tenants_to_reembed(TEXT) TO ${app_role};

-- tenants indexed before this migration are served by the model their vectors were made with
INSERT INTO ai_kb_embedding_state (tenant_id, serving_model, target_model)
SELECT tenant_id, min(embedding_model), min(embedding_model) FROM ai_kb_chunks GROUP BY tenant_id;
