-- The threshold each run was decided under, so a content gap is a question answered below its own tenant's bar
-- at the time (or handed over for low confidence), whatever the threshold is now.
ALTER TABLE ai_insight_runs ADD COLUMN threshold DOUBLE PRECISION;
CREATE INDEX ai_insight_runs_low_idx ON ai_insight_runs (tenant_id, started_at) WHERE confidence < threshold
    OR handoff_reason = 'low_confidence';
