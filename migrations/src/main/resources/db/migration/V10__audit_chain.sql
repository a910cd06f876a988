-- Tamper evidence: a hash chain per tenant over the event store, and an event store the application cannot edit.
--
-- audit_chain is NOT a read model: it cannot be rebuilt from the events, because it is the evidence that they are the
-- events first stored. Never truncate, reset or rebuild it (a token reset of the audit-chain processor is harmless:
-- chained events are skipped). The application may only append to it.
CREATE TABLE audit_chain (
    tenant_id            VARCHAR(128) NOT NULL,
    -- 1, 2, 3 … per tenant, in the order the audit-chain processor chained the events
    position             BIGINT       NOT NULL CHECK (position > 0),
    global_index         BIGINT       NOT NULL,
    event_identifier     VARCHAR(255) NOT NULL,
    aggregate_identifier VARCHAR(255) NOT NULL,
    sequence_number      BIGINT       NOT NULL,
    payload_type         VARCHAR(255) NOT NULL,
    -- core-api AuditHash: SHA-256 of the stored row, and SHA-256 of the previous link and this event's hash
    event_hash           CHAR(64)     NOT NULL,
    link_hash            CHAR(64)     NOT NULL,
    chained_at           TIMESTAMPTZ  NOT NULL DEFAULT now(),
    -- both keys are the indexes led by tenant_id: the chain in order, and an event's place in it
    PRIMARY KEY (tenant_id, position),
    UNIQUE (tenant_id, event_identifier)
);

ALTER TABLE audit_chain ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_chain
    USING (tenant_id = aidesk_current_tenant()) WITH CHECK (tenant_id = aidesk_current_tenant());

-- Events are immutable. Axon's JdbcEventStorageEngine only inserts into and reads domain_event_entry (the one DELETE
-- it issues is on snapshot_event_entry, which it keeps its grants for); the chain is append-only.
REVOKE UPDATE, DELETE ON domain_event_entry FROM ${app_role};
REVOKE UPDATE, DELETE ON audit_chain FROM ${app_role};

-- The tenant an event was stored for (its metadata's tenant_id), so the verifier finds a tenant's events that are not
-- in its chain without reading every tenant's. Metadata that is not JSON has no tenant rather than failing the append.
CREATE FUNCTION aidesk_event_tenant(meta_data BYTEA) RETURNS TEXT
    LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
    RETURN convert_from(meta_data, 'UTF8')::json ->> 'tenant_id';
EXCEPTION WHEN OTHERS THEN
    RETURN NULL;
END
$$;
CREATE INDEX domain_event_entry_tenant_idx ON domain_event_entry (aidesk_event_tenant(meta_data), global_index);
