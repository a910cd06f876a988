-- aidesk_event_tenant (V10) as plain SQL: the PL/pgSQL exception block made every event insert open a subtransaction
-- for the index. Axon writes the metadata as JSON (or not at all), so there is nothing left to catch.
CREATE OR REPLACE FUNCTION aidesk_event_tenant(meta_data BYTEA) RETURNS TEXT
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT convert_from(meta_data, 'UTF8')::json ->> 'tenant_id' $$;

-- A transaction sealing with a contact's key holds the key's row shared until it ends, and an erasure destroys the
-- key before it scrubs anything: so the erasure waits for what is being written under the key, and scrubs it too.
CREATE OR REPLACE FUNCTION aidesk_privacy_key(p_tenant TEXT, p_contact TEXT, p_key_id UUID, p_secret BYTEA)
    RETURNS TABLE (sealing_key UUID, wrapped_secret BYTEA)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public
AS $$
BEGIN
    RETURN QUERY SELECT k.key_id, k.secret FROM privacy_keys k
        WHERE k.tenant_id = p_tenant AND k.contact_id = p_contact AND k.secret IS NOT NULL FOR SHARE;
    IF FOUND THEN
        RETURN;
    END IF;
    INSERT INTO privacy_keys AS k (tenant_id, contact_id, key_id, secret)
    VALUES (p_tenant, p_contact, p_key_id, p_secret)
    ON CONFLICT (tenant_id, contact_id) DO UPDATE
        SET key_id = EXCLUDED.key_id, secret = EXCLUDED.secret, created_at = now()
        WHERE k.secret IS NULL;
    -- a new statement: it sees a key another transaction committed while this one waited for it
    RETURN QUERY SELECT k.key_id, k.secret FROM privacy_keys k
        WHERE k.tenant_id = p_tenant AND k.contact_id = p_contact AND k.secret IS NOT NULL FOR SHARE;
END
$$;
