-- Customers often write Spanish without its accents ("configuracion", "contrasena"): both the chunks and the queries
-- are stemmed after unaccent, so the two spellings meet. unaccent is a trusted extension: the owner may create it.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION aidesk_spanish (COPY = spanish);
ALTER TEXT SEARCH CONFIGURATION aidesk_spanish ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem;
CREATE TEXT SEARCH CONFIGURATION aidesk_english (COPY = english);
ALTER TEXT SEARCH CONFIGURATION aidesk_english ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;

ALTER TABLE ai_kb_chunks DROP COLUMN tsv;
ALTER TABLE ai_kb_chunks ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector(CASE language WHEN 'es' THEN 'aidesk_spanish'::regconfig ELSE 'aidesk_english'::regconfig END,
                          coalesce(meta ->> 'title', '') || ' ' || coalesce(meta ->> 'headings', '')), 'A')
    || setweight(to_tsvector(CASE language WHEN 'es' THEN 'aidesk_spanish'::regconfig ELSE 'aidesk_english'::regconfig END,
                             content), 'B')
) STORED;
CREATE INDEX ai_kb_chunks_tsv_idx ON ai_kb_chunks USING gin (tsv);
