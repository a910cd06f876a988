-- What agents did with the copilot's drafts (sent as drafted, edited, discarded) and how they rated them: the
-- feedback that tells a tenant how good its copilot is. The reason given is kept as the tenant's log_content says.
ALTER TABLE ai_runs ADD COLUMN draft_outcome VARCHAR(16)
    CHECK (draft_outcome IN ('sent_as_drafted', 'edited', 'discarded'));
ALTER TABLE ai_runs ADD COLUMN draft_reviewed_by VARCHAR(128);
ALTER TABLE ai_runs ADD COLUMN draft_reviewed_at TIMESTAMPTZ;
ALTER TABLE ai_runs ADD COLUMN draft_helpful BOOLEAN;
ALTER TABLE ai_runs ADD COLUMN draft_rated_by VARCHAR(128);
ALTER TABLE ai_runs ADD COLUMN draft_rated_at TIMESTAMPTZ;
ALTER TABLE ai_runs ADD COLUMN draft_feedback TEXT;
