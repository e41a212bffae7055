-- Data rights: legal and safeguarding holds, two-step erasure, exports (right of access),
-- and the organisation's retention period.

-- A hold keeps a person's record from erasure (manual or by retention) while it stands.
CREATE TABLE legal_holds (
    id               uuid PRIMARY KEY,
    person_id        uuid NOT NULL,
    organisation_id  uuid NOT NULL,
    reason           text NOT NULL,
    placed_by        uuid NOT NULL REFERENCES accounts (id),
    placed_at        timestamptz NOT NULL DEFAULT now(),
    lifted_at        timestamptz,
    lifted_by        uuid REFERENCES accounts (id),
    FOREIGN KEY (person_id, organisation_id) REFERENCES people (id, organisation_id)
        ON DELETE CASCADE,
    CHECK ((lifted_at IS NULL) = (lifted_by IS NULL))
);
CREATE INDEX legal_holds_person_idx ON legal_holds (person_id, id);

-- The database refuses to delete a held person, whatever the code asks.
CREATE FUNCTION people_refuse_held_erasure() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM legal_holds h WHERE h.person_id = OLD.id AND h.lifted_at IS NULL) THEN
        RAISE EXCEPTION 'person % is under a legal hold', OLD.id USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN OLD;
END $$;
CREATE TRIGGER people_refuse_held_erasure BEFORE DELETE ON people
    FOR EACH ROW EXECUTE FUNCTION people_refuse_held_erasure();

-- The first step of an erasure: an admin asks, and gets a one-time confirmation code (kept
-- as a hash) that works for a short while.
CREATE TABLE erasure_requests (
    id               uuid PRIMARY KEY,
    person_id        uuid NOT NULL,
    organisation_id  uuid NOT NULL,
    requested_by     uuid NOT NULL REFERENCES accounts (id),
    code_hash        bytea NOT NULL,
    expires_at       timestamptz NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (person_id, organisation_id) REFERENCES people (id, organisation_id)
        ON DELETE CASCADE
);
CREATE INDEX erasure_requests_person_idx ON erasure_requests (person_id);

-- What is kept of an erased person: counts, with no way back to them.
CREATE TABLE erasures (
    id               uuid PRIMARY KEY,
    organisation_id  uuid NOT NULL REFERENCES organisations (id),
    erased_at        timestamptz NOT NULL DEFAULT now(),
    reason           text NOT NULL CHECK (reason IN ('request', 'retention')),
    counts           jsonb NOT NULL
);

-- Exports (right of access and portability): a job, then a ZIP in storage for a week.
CREATE TABLE exports (
    id               uuid PRIMARY KEY,
    person_id        uuid NOT NULL,
    organisation_id  uuid NOT NULL,
    requested_by     uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'ready', 'failed')),
    created_at       timestamptz NOT NULL DEFAULT now(),
    ready_at         timestamptz,
    expires_at       timestamptz NOT NULL,
    size_bytes       bigint,
    FOREIGN KEY (person_id, organisation_id) REFERENCES people (id, organisation_id)
        ON DELETE CASCADE
);
CREATE INDEX exports_person_idx ON exports (person_id, id);
CREATE INDEX exports_expiry_idx ON exports (expires_at);

-- An export's file goes with its row, as a photo's objects do.
CREATE FUNCTION queue_export_objects() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO storage_deletions (prefix) VALUES ('exports/' || OLD.id || '/')
        ON CONFLICT DO NOTHING;
    RETURN OLD;
END $$;
CREATE TRIGGER exports_queue_objects AFTER DELETE ON exports
    FOR EACH ROW EXECUTE FUNCTION queue_export_objects();

-- How long a person's record is kept after their support ended, in months (NULL: for ever,
-- until someone decides); 96 months (8 years) is the usual period for adults' social care.
ALTER TABLE organisations ADD COLUMN retention_months integer
    CHECK (retention_months BETWEEN 12 AND 1200);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['legal_holds', 'erasure_requests', 'exports'] LOOP
        EXECUTE format(
            'CREATE CONSTRAINT TRIGGER audit_required AFTER INSERT OR UPDATE OR DELETE ON %I '
            'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_required()', t);
    END LOOP;
END $$;
