-- A search walks only its own tenant's vectors and words. The shared HNSW graphs made every tenant's search walk all
-- tenants' vectors and filter afterwards (p95 133 ms at 200,000 chunks over 20 tenants); a tenant with enough vectors
-- now gets an HNSW index of its own (knowledge-vector-indexes, built concurrently by this owner role), a smaller one is
-- ranked exactly through the tenant's rows.
DROP INDEX IF EXISTS ai_kb_chunks_embedding_384_idx;
DROP INDEX IF EXISTS ai_kb_chunks_embedding_1536_idx;

-- the full-text index led by the tenant: a word common in other tenants' knowledge costs this tenant nothing
CREATE EXTENSION IF NOT EXISTS btree_gin;
CREATE INDEX ai_kb_chunks_tenant_tsv_idx ON ai_kb_chunks USING gin (tenant_id, tsv);
DROP INDEX IF EXISTS ai_kb_chunks_tsv_idx;

-- Under row-level security Postgres uses no index for a condition whose operator is not leakproof, and text search's
-- @@ is not: every word read all of the tenant's chunks (55,000 for the bench's largest tenant). This function runs
-- as the owner, which row-level security does not hold to, and keeps to the session's tenant itself.
CREATE FUNCTION aidesk_chunks_matching(query tsquery, model TEXT, source TEXT)
    RETURNS TABLE (id VARCHAR(64))
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT c.id FROM ai_kb_chunks c
    WHERE c.tenant_id = aidesk_current_tenant() AND c.tsv @@ query AND c.embedding_model = model
      AND (source IS NULL OR c.source_id = source)
$$;
REVOKE ALL ON FUNCTION aidesk_chunks_matching(tsquery, TEXT, TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION aidesk_chunks_matching(tsquery, TEXT, TEXT) TO ${app_role};
