-- The full-text side of a search reads each matching chunk's row to learn its id; in ai_kb_chunks a row holds the
-- passage and its 384 floats too, so the 1,449 chunks holding a common word of the bench's largest tenant were as many
-- heap pages. ai_kb_chunk_words keeps only what the lookup needs, kept by triggers.
CREATE TABLE ai_kb_chunk_words (
    chunk_id        VARCHAR(64)  NOT NULL PRIMARY KEY REFERENCES ai_kb_chunks (id) ON DELETE CASCADE,
    tenant_id       VARCHAR(128) NOT NULL,
    source_id       VARCHAR(64)  NOT NULL,
    embedding_model VARCHAR(64)  NOT NULL,
    tsv             tsvector     NOT NULL
);
ALTER TABLE ai_kb_chunk_words ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ai_kb_chunk_words
    USING (tenant_id = aidesk_current_tenant()) WITH CHECK (tenant_id = aidesk_current_tenant());

INSERT INTO ai_kb_chunk_words (chunk_id, tenant_id, source_id, embedding_model, tsv)
SELECT id, tenant_id, source_id, embedding_model, tsv FROM ai_kb_chunks;

CREATE INDEX ai_kb_chunk_words_tenant_tsv_idx ON ai_kb_chunk_words USING gin (tenant_id, tsv);
DROP INDEX IF EXISTS ai_kb_chunks_tenant_tsv_idx;

-- Runs as the owner: the chunk's own row passed its row-level security already, and this copies it.
CREATE FUNCTION aidesk_chunk_words_keep() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    INSERT INTO ai_kb_chunk_words (chunk_id, tenant_id, source_id, embedding_model, tsv)
    VALUES (NEW.id, NEW.tenant_id, NEW.source_id, NEW.embedding_model, NEW.tsv)
    ON CONFLICT (chunk_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, source_id = EXCLUDED.source_id,
        embedding_model = EXCLUDED.embedding_model, tsv = EXCLUDED.tsv;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION aidesk_chunk_words_keep() FROM PUBLIC;

CREATE TRIGGER ai_kb_chunk_words_inserted AFTER INSERT ON ai_kb_chunks
    FOR EACH ROW EXECUTE FUNCTION aidesk_chunk_words_keep();
-- a re-embedding changes the model, a redaction the passage (and so its words)
CREATE TRIGGER ai_kb_chunk_words_updated AFTER UPDATE ON ai_kb_chunks
    FOR EACH ROW WHEN (OLD.tsv IS DISTINCT FROM NEW.tsv OR OLD.embedding_model IS DISTINCT FROM NEW.embedding_model
                       OR OLD.source_id IS DISTINCT FROM NEW.source_id OR OLD.tenant_id IS DISTINCT FROM NEW.tenant_id)
    EXECUTE FUNCTION aidesk_chunk_words_keep();

-- the same lookup as V18's, on the narrow table
CREATE OR REPLACE FUNCTION aidesk_chunks_matching(query tsquery, model TEXT, source TEXT)
    RETURNS TABLE (id VARCHAR(64))
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT w.chunk_id FROM ai_kb_chunk_words w
    WHERE w.tenant_id = aidesk_current_tenant() AND w.tsv @@ query AND w.embedding_model = model
      AND (source IS NULL OR w.source_id = source)
$$;
