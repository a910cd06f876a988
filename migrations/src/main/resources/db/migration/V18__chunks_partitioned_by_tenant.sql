-- Vector search within a tenant walks only its partition's graph: ai_kb_chunks is hash-partitioned by tenant_id into
-- 16 partitions, each with its own HNSW index (bench/README, retrieval: one shared graph walked every tenant's vectors
-- and filtered after the walk). The primary key includes the partition key, as Postgres requires.
ALTER TABLE ai_kb_chunks RENAME TO ai_kb_chunks_unpartitioned;
ALTER TABLE ai_kb_chunks_unpartitioned DROP CONSTRAINT ai_kb_chunks_document_id_fkey;
ALTER TABLE ai_kb_chunks_unpartitioned DROP CONSTRAINT ai_kb_chunks_pkey;
ALTER TABLE ai_kb_chunks_unpartitioned DROP CONSTRAINT ai_kb_chunks_tenant_id_document_id_content_hash_key;
DROP INDEX ai_kb_chunks_document_idx, ai_kb_chunks_embedding_1536_idx, ai_kb_chunks_embedding_384_idx,
    ai_kb_chunks_tenant_model_idx, ai_kb_chunks_tenant_source_idx, ai_kb_chunks_tsv_idx;

CREATE TABLE ai_kb_chunks (
    id              VARCHAR(64)  NOT NULL,
    tenant_id       VARCHAR(128) NOT NULL,
    source_id       VARCHAR(64)  NOT NULL,
    document_id     VARCHAR(64)  NOT NULL REFERENCES ai_kb_documents (id) ON DELETE CASCADE,
    chunk_index     INTEGER      NOT NULL,
    content         TEXT         NOT NULL,
    content_hash    CHAR(64)     NOT NULL,
    token_count     INTEGER      NOT NULL,
    embedding       vector       NOT NULL,
    embedding_model VARCHAR(64)  NOT NULL,
    embedding_dim   INTEGER      NOT NULL,
    meta            JSONB        NOT NULL DEFAULT '{}',
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    next_embedding  vector,
    next_model      VARCHAR(64),
    language        VARCHAR(2)   NOT NULL DEFAULT 'en',
    tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector(CASE language WHEN 'es' THEN 'aidesk_spanish'::regconfig ELSE 'aidesk_english'::regconfig END,
                              coalesce(meta ->> 'title', '') || ' ' || coalesce(meta ->> 'headings', '')), 'A')
        || setweight(to_tsvector(CASE language WHEN 'es' THEN 'aidesk_spanish'::regconfig ELSE 'aidesk_english'::regconfig END,
                                 content), 'B')
    ) STORED,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, document_id, content_hash)
) PARTITION BY HASH (tenant_id);

DO $$
BEGIN
    FOR remainder IN 0..15 LOOP
        EXECUTE format('CREATE TABLE ai_kb_chunks_p%s PARTITION OF ai_kb_chunks FOR VALUES WITH (MODULUS 16, REMAINDER %s)',
                       remainder, remainder);
        -- a partition read by its own name holds to the tenant too
        EXECUTE format('ALTER TABLE ai_kb_chunks_p%s ENABLE ROW LEVEL SECURITY', remainder);
        EXECUTE format('CREATE POLICY tenant_isolation ON ai_kb_chunks_p%s USING (tenant_id = aidesk_current_tenant()) '
                       'WITH CHECK (tenant_id = aidesk_current_tenant())', remainder);
    END LOOP;
END
$$;

INSERT INTO ai_kb_chunks (id, tenant_id, source_id, document_id, chunk_index, content, content_hash, token_count,
                          embedding, embedding_model, embedding_dim, meta, created_at, next_embedding, next_model, language)
SELECT id, tenant_id, source_id, document_id, chunk_index, content, content_hash, token_count, embedding,
       embedding_model, embedding_dim, meta, created_at, next_embedding, next_model, language
FROM ai_kb_chunks_unpartitioned;
DROP TABLE ai_kb_chunks_unpartitioned;

CREATE INDEX ai_kb_chunks_tenant_source_idx ON ai_kb_chunks (tenant_id, source_id);
CREATE INDEX ai_kb_chunks_tenant_model_idx ON ai_kb_chunks (tenant_id, embedding_model);
CREATE INDEX ai_kb_chunks_document_idx ON ai_kb_chunks (document_id);
CREATE INDEX ai_kb_chunks_tsv_idx ON ai_kb_chunks USING gin (tsv);
-- pgvector 0.8.0 predates the fix to parallel HNSW builds (0.8.2): build without parallel workers
SET LOCAL max_parallel_maintenance_workers = 0;
CREATE INDEX ai_kb_chunks_embedding_384_idx ON ai_kb_chunks
    USING hnsw ((embedding::vector(384)) vector_cosine_ops) WHERE embedding_dim = 384;
CREATE INDEX ai_kb_chunks_embedding_1536_idx ON ai_kb_chunks
    USING hnsw ((embedding::vector(1536)) vector_cosine_ops) WHERE embedding_dim = 1536;

ALTER TABLE ai_kb_chunks ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ai_kb_chunks
    USING (tenant_id = aidesk_current_tenant()) WITH CHECK (tenant_id = aidesk_current_tenant());
