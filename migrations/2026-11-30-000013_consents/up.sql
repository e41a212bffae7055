-- Consent records: per purpose and audience, the decision, the wording version shown, who
-- gave it (the person, a parent, an appointee, or a best-interests decision by staff) and
-- who recorded it, when; withdrawable. One record per purpose and audience is current; a new
-- decision replaces it and the old stays as history.
CREATE TABLE consents (
    id               uuid PRIMARY KEY,
    person_id        uuid NOT NULL,
    organisation_id  uuid NOT NULL,
    purpose          text NOT NULL,
    audience         text NOT NULL,
    decision         text NOT NULL CHECK (decision IN ('given', 'refused')),
    given_by         text NOT NULL,
    wording_version  text NOT NULL CHECK (length(wording_version) BETWEEN 1 AND 64),
    recorded_by      uuid NOT NULL REFERENCES accounts (id),
    recorded_at      timestamptz NOT NULL DEFAULT now(),
    current          boolean NOT NULL DEFAULT true,
    withdrawn_at     timestamptz,
    withdrawn_by     uuid REFERENCES accounts (id),
    FOREIGN KEY (person_id, organisation_id) REFERENCES people (id, organisation_id)
        ON DELETE CASCADE,
    CHECK ((withdrawn_at IS NULL) = (withdrawn_by IS NULL)),
    CHECK (withdrawn_at IS NULL OR decision = 'given')
);
CREATE UNIQUE INDEX consents_current_idx ON consents (person_id, purpose, audience) WHERE current;
CREATE INDEX consents_person_idx ON consents (person_id, id);

-- Whether the person has said no (refused, or withdrawn what they gave) to `purpose`: read
-- by every request that shows their stories or photos to the circle, and by reports.
CREATE FUNCTION consent_withheld(person uuid, purpose text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM consents c
                    WHERE c.person_id = $1 AND c.purpose = $2 AND c.current
                      AND (c.decision = 'refused' OR c.withdrawn_at IS NOT NULL))
$$;

CREATE CONSTRAINT TRIGGER audit_required AFTER INSERT OR UPDATE OR DELETE ON consents
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_required();
