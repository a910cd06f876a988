-- Full-text search that helps rather than dilutes: each chunk is stemmed in its own language (detected at ingest),
-- and its page title and heading path are indexed with weight A above the passage's own words (weight B).
ALTER TABLE ai_kb_chunks ADD COLUMN language VARCHAR(2) NOT NULL DEFAULT 'en';
ALTER TABLE ai_kb_chunks DROP COLUMN tsv;
ALTER TABLE ai_kb_chunks ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector(CASE language WHEN 'es' THEN 'spanish'::regconfig ELSE 'english'::regconfig END,
                          coalesce(meta ->> 'title', '') || ' ' || coalesce(meta ->> 'headings', '')), 'A')
    || setweight(to_tsvector(CASE language WHEN 'es' THEN 'spanish'::regconfig ELSE 'english'::regconfig END, content), 'B')
) STORED;
CREATE INDEX ai_kb_chunks_tsv_idx ON ai_kb_chunks USING gin (tsv);
