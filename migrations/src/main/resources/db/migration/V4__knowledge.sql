-- Knowledge: sources (read model of the KnowledgeSource events), uploaded files, documents and chunks (the index
-- the ingestion workers write). Every table has tenant_id, an index led by it and row-level security.

CREATE TABLE ai_kb_sources (
    id             VARCHAR(64)  NOT NULL PRIMARY KEY,
    tenant_id      VARCHAR(128) NOT NULL,
    type           VARCHAR(8)   NOT NULL CHECK (type IN ('url', 'file')),
    url            TEXT,
    file_id        VARCHAR(64),
    file_name      TEXT,
    status         VARCHAR(16)  NOT NULL CHECK (status IN ('idle', 'queued', 'syncing', 'ok', 'failed')),
    error          TEXT,
    config         JSONB        NOT NULL,
    created_at     TIMESTAMPTZ  NOT NULL,
    created_by     VARCHAR(255) NOT NULL,
    current_sync   VARCHAR(64),
    last_synced_at TIMESTAMPTZ,
    last_sync      JSONB,
    progress_done  INTEGER,
    progress_total INTEGER,
    last_errors    JSONB        NOT NULL DEFAULT '[]'
);
CREATE INDEX ai_kb_sources_tenant_idx ON ai_kb_sources (tenant_id, created_at DESC);

CREATE TABLE ai_kb_files (
    id           VARCHAR(64)  NOT NULL PRIMARY KEY,
    tenant_id    VARCHAR(128) NOT NULL,
    file_name    TEXT         NOT NULL,
    content_type VARCHAR(128) NOT NULL,
    size_bytes   BIGINT       NOT NULL,
    sha256       CHAR(64)     NOT NULL,
    content      BYTEA        NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX ai_kb_files_tenant_idx ON ai_kb_files (tenant_id, id);

CREATE TABLE ai_kb_documents (
    id           VARCHAR(64)  NOT NULL PRIMARY KEY,
    tenant_id    VARCHAR(128) NOT NULL,
    source_id    VARCHAR(64)  NOT NULL,
    url          TEXT         NOT NULL,
    title        TEXT,
    content_hash CHAR(64)     NOT NULL,
    version      INTEGER      NOT NULL DEFAULT 1,
    meta         JSONB        NOT NULL DEFAULT '{}',
    created_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, source_id, url)
);

CREATE TABLE ai_kb_chunks (
    id              VARCHAR(64)  NOT NULL PRIMARY KEY,
    tenant_id       VARCHAR(128) NOT NULL,
    source_id       VARCHAR(64)  NOT NULL,
    document_id     VARCHAR(64)  NOT NULL REFERENCES ai_kb_documents (id) ON DELETE CASCADE,
    chunk_index     INTEGER      NOT NULL,
    content         TEXT         NOT NULL,
    content_hash    CHAR(64)     NOT NULL,
    token_count     INTEGER      NOT NULL,
    -- no fixed dimension: each model gets its own partial HNSW index below
    embedding       vector       NOT NULL,
    embedding_model VARCHAR(64)  NOT NULL,
    embedding_dim   INTEGER      NOT NULL,
    meta            JSONB        NOT NULL DEFAULT '{}',
    tsv             tsvector GENERATED ALWAYS AS (to_tsvector('english', content) || to_tsvector('spanish', content)) STORED,
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, document_id, content_hash)
);
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

ALTER TABLE ai_kb_sources ENABLE ROW LEVEL SECURITY;
ALTER TABLE ai_kb_files ENABLE ROW LEVEL SECURITY;
ALTER TABLE ai_kb_documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE ai_kb_chunks ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ai_kb_sources
    USING (tenant_id = aidesk_current_tenant()) WITH CHECK (tenant_id = aidesk_current_tenant());
CREATE POLICY tenant_isolation ON ai_kb_files
    USING (tenant_id = aidesk_current_tenant()) WITH CHECK (tenant_id = aidesk_current_tenant());
CREATE POLICY tenant_isolation ON ai_kb_documents
    USING (tenant_id = aidesk_current_tenant()) WITH CHECK (tenant_id = aidesk_current_tenant());
CREATE POLICY tenant_isolation ON ai_kb_chunks
    USING (tenant_id = aidesk_current_tenant()) WITH CHECK (tenant_id = aidesk_current_tenant());
