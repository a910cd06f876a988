-- What a re-sync needs to ask a server whether a page changed (ETag, Last-Modified), when the page was fetched (a
-- sitemap's lastmod is compared with it), the links found on it (followed again when the server answers 304), and the
-- chunker that cut it (a page cut by another is fetched and re-chunked in full).
ALTER TABLE ai_kb_documents
    ADD COLUMN etag          TEXT,
    ADD COLUMN last_modified TEXT,
    ADD COLUMN fetched_at    TIMESTAMPTZ,
    ADD COLUMN links         TEXT[]  NOT NULL DEFAULT '{}',
    ADD COLUMN chunker       INTEGER NOT NULL DEFAULT 0;
