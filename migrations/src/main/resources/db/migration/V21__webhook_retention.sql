-- Deliveries that are done with (delivered, or given up) are kept for the delivery log and a resend for a while, then
-- dropped: a payload holds what a run said to a customer. The purge serves every tenant, so it runs as the owner.
CREATE FUNCTION aidesk_webhook_purge(keep INTERVAL) RETURNS INTEGER
    LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    WITH gone AS (
        DELETE FROM ai_webhook_deliveries
        WHERE status IN ('delivered', 'failed') AND COALESCE(delivered_at, last_attempt_at, created_at) < now() - keep
        RETURNING 1)
    SELECT count(*)::INTEGER FROM gone
$$;
REVOKE ALL ON FUNCTION aidesk_webhook_purge(INTERVAL) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION aidesk_webhook_purge(INTERVAL) TO ${app_role};
