-- Erasure by crypto-shredding: a contact's personal data inside events is stored sealed with that contact's key;
-- erasing the contact destroys the key (secret NULL), and every reader of those events sees '[erased]' from then on.
-- The application keeps the secrets wrapped with its master key (aidesk.privacy.master-key): this table alone opens
-- nothing.
CREATE TABLE privacy_keys (
    tenant_id  VARCHAR(128) NOT NULL,
    contact_id VARCHAR(128) NOT NULL,
    key_id     UUID         NOT NULL,
    -- nonce | AES-256-GCM(master key, the contact's 256-bit key); NULL once destroyed
    secret     BYTEA,
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    erased_at  TIMESTAMPTZ,
    erased_by  VARCHAR(128),
    PRIMARY KEY (tenant_id, contact_id),
    UNIQUE (tenant_id, key_id),
    CHECK (secret IS NOT NULL OR erased_at IS NOT NULL)
);

-- which contact a conversation or a run is about, recorded as their events are sealed (ConversationStarted and
-- RunStarted name the contact; later events name only the conversation or the run)
CREATE TABLE privacy_links (
    tenant_id  VARCHAR(128) NOT NULL,
    ref        VARCHAR(128) NOT NULL,
    contact_id VARCHAR(128) NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, ref)
);
CREATE INDEX privacy_links_contact_idx ON privacy_links (tenant_id, contact_id);

ALTER TABLE privacy_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE privacy_links ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON privacy_keys
    USING (tenant_id = aidesk_current_tenant()) WITH CHECK (tenant_id = aidesk_current_tenant());
CREATE POLICY tenant_isolation ON privacy_links
    USING (tenant_id = aidesk_current_tenant()) WITH CHECK (tenant_id = aidesk_current_tenant());

-- Events are sealed and opened wherever Axon (de)serializes them, often in a processor's thread whose transaction
-- names no tenant yet. These functions take the tenant explicitly and are the application's only way to its keys.

-- The contact's live key; when there is none (or it was destroyed and the contact's data comes back), the candidate
-- the application offers becomes it, in the caller's transaction: a rolled-back event leaves no key behind.
CREATE FUNCTION aidesk_privacy_key(p_tenant TEXT, p_contact TEXT, p_key_id UUID, p_secret BYTEA)
    RETURNS TABLE (sealing_key UUID, wrapped_secret BYTEA)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public
AS $$
BEGIN
    -- the common case reads without locking the row
    RETURN QUERY SELECT k.key_id, k.secret FROM privacy_keys k
        WHERE k.tenant_id = p_tenant AND k.contact_id = p_contact AND k.secret IS NOT NULL;
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
        WHERE k.tenant_id = p_tenant AND k.contact_id = p_contact AND k.secret IS NOT NULL;
END
$$;

-- A key by its id: no row for a key id that is not (or no longer) the contact's, NULL secret for a destroyed key.
CREATE FUNCTION aidesk_privacy_secret(p_tenant TEXT, p_key_id UUID)
    RETURNS TABLE (wrapped_secret BYTEA, erased BOOLEAN)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
AS $$ SELECT secret, secret IS NULL FROM privacy_keys WHERE tenant_id = p_tenant AND key_id = p_key_id $$;

-- Links a conversation or run to its contact, and answers the contact it is linked to: the first link stands.
CREATE FUNCTION aidesk_privacy_link(p_tenant TEXT, p_ref TEXT, p_contact TEXT) RETURNS TEXT
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public
AS $$
BEGIN
    INSERT INTO privacy_links (tenant_id, ref, contact_id) VALUES (p_tenant, p_ref, p_contact)
    ON CONFLICT (tenant_id, ref) DO NOTHING;
    RETURN (SELECT contact_id FROM privacy_links WHERE tenant_id = p_tenant AND ref = p_ref);
END
$$;

-- The contact a conversation or run is about. Conversations and runs older than this migration have no link: their
-- read models name the contact.
CREATE FUNCTION aidesk_privacy_contact(p_tenant TEXT, p_ref TEXT) RETURNS TEXT
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
AS $$
SELECT coalesce(
    (SELECT contact_id FROM privacy_links WHERE tenant_id = p_tenant AND ref = p_ref),
    (SELECT contact_id FROM ai_conversations WHERE tenant_id = p_tenant AND id = p_ref),
    (SELECT c.contact_id FROM ai_runs r
         JOIN ai_conversations c ON c.tenant_id = r.tenant_id AND c.id = r.conversation_id
     WHERE r.tenant_id = p_tenant AND r.id = p_ref))
$$;

-- Destroys the contact's key (a contact AI Desk never sealed anything for gets a destroyed one, as the record of the
-- erasure) and answers the id of the key destroyed.
CREATE FUNCTION aidesk_privacy_erase(p_tenant TEXT, p_contact TEXT, p_by TEXT, p_at TIMESTAMPTZ) RETURNS UUID
    LANGUAGE sql SECURITY DEFINER SET search_path = public
AS $$
INSERT INTO privacy_keys AS k (tenant_id, contact_id, key_id, secret, erased_at, erased_by)
VALUES (p_tenant, p_contact, gen_random_uuid(), NULL, p_at, p_by)
ON CONFLICT (tenant_id, contact_id) DO UPDATE SET secret = NULL, erased_at = EXCLUDED.erased_at,
    erased_by = EXCLUDED.erased_by
RETURNING k.key_id
$$;

REVOKE ALL ON FUNCTION aidesk_privacy_key(TEXT, TEXT, UUID, BYTEA) FROM PUBLIC;
REVOKE ALL ON FUNCTION aidesk_privacy_secret(TEXT, UUID) FROM PUBLIC;
REVOKE ALL ON FUNCTION aidesk_privacy_link(TEXT, TEXT, TEXT) FROM PUBLIC;
REVOKE ALL ON FUNCTION aidesk_privacy_contact(TEXT, TEXT) FROM PUBLIC;
REVOKE ALL ON FUNCTION aidesk_privacy_erase(TEXT, TEXT, TEXT, TIMESTAMPTZ) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION aidesk_privacy_key(TEXT, TEXT, UUID, BYTEA) TO ${app_role};
GRANT EXECUTE ON FUNCTION aidesk_privacy_secret(TEXT, UUID) TO ${app_role};
GRANT EXECUTE ON FUNCTION aidesk_privacy_link(TEXT, TEXT, TEXT) TO ${app_role};
GRANT EXECUTE ON FUNCTION aidesk_privacy_contact(TEXT, TEXT) TO ${app_role};
GRANT EXECUTE ON FUNCTION aidesk_privacy_erase(TEXT, TEXT, TEXT, TIMESTAMPTZ) TO ${app_role};
