-- Hardening (issue 6): throttles counted before checking, device-bound PIN sign-in, sealed
-- idempotent responses with a lease, refresh retries inside a grace window, and composite
-- foreign keys so that no child row can cross people or organisations.

-- Attempts are counted before they are checked and a key over its limit is refused until its
-- window ends: nothing is "blocked until" any more.
ALTER TABLE login_throttles DROP COLUMN blocked_until;
CREATE INDEX login_throttles_window_idx ON login_throttles (window_started_at);

-- A person's PIN works only together with the key of a device they redeemed a code on.
CREATE TABLE person_devices (
    id            uuid PRIMARY KEY,
    account_id    uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    key_hash      bytea NOT NULL UNIQUE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
CREATE INDEX person_devices_account_idx ON person_devices (account_id) WHERE revoked_at IS NULL;

-- A spent refresh token remembers its successor (hash, and the token sealed under a key only
-- the spent token opens), so a retry whose response was lost gets the same successor back.
ALTER TABLE refresh_tokens
    ADD COLUMN successor_hash bytea,
    ADD COLUMN successor_sealed bytea;

-- Idempotency keys: the client's key only as a hash, the response sealed, a lease on claims.
DROP TABLE idempotency_keys;
CREATE TABLE idempotency_keys (
    account_id    uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    key_hash      bytea NOT NULL,
    request_hash  bytea NOT NULL,
    -- NULL while the first request is still being handled (until lease_until).
    status        integer,
    -- Headers and body of the response, AES-256-GCM under a key derived from the server
    -- secret and the client's key.
    sealed        bytea,
    -- The authorization checks the first request passed; a replay passes them again.
    checks        jsonb NOT NULL DEFAULT '[]'::jsonb,
    lease_until   timestamptz NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, key_hash)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- Composite foreign keys: a child row's person and organisation are its parent's.
ALTER TABLE people ADD CONSTRAINT people_id_organisation_key UNIQUE (id, organisation_id);
ALTER TABLE accounts ADD CONSTRAINT accounts_id_organisation_key UNIQUE (id, organisation_id);
ALTER TABLE goals ADD CONSTRAINT goals_scope_key UNIQUE (id, person_id, organisation_id);
ALTER TABLE reviews ADD CONSTRAINT reviews_scope_key UNIQUE (id, person_id, organisation_id);
ALTER TABLE circle_members ADD CONSTRAINT circle_members_scope_key UNIQUE (id, person_id, organisation_id);

ALTER TABLE mentor_assignments
    ADD CONSTRAINT mentor_assignments_person_fk FOREIGN KEY (person_id, organisation_id)
        REFERENCES people (id, organisation_id) ON DELETE CASCADE,
    ADD CONSTRAINT mentor_assignments_mentor_fk FOREIGN KEY (mentor_id, organisation_id)
        REFERENCES accounts (id, organisation_id);
-- A person's own login belongs to the person's organisation.
ALTER TABLE people ADD CONSTRAINT people_account_fk FOREIGN KEY (account_id, organisation_id)
    REFERENCES accounts (id, organisation_id);
ALTER TABLE device_codes ADD CONSTRAINT device_codes_person_fk FOREIGN KEY (person_id, organisation_id)
    REFERENCES people (id, organisation_id) ON DELETE CASCADE;
ALTER TABLE profile_entries ADD CONSTRAINT profile_entries_person_fk FOREIGN KEY (person_id, organisation_id)
    REFERENCES people (id, organisation_id) ON DELETE CASCADE;
ALTER TABLE circle_members ADD CONSTRAINT circle_members_person_fk FOREIGN KEY (person_id, organisation_id)
    REFERENCES people (id, organisation_id) ON DELETE CASCADE;
ALTER TABLE circle_invitations ADD CONSTRAINT circle_invitations_member_fk FOREIGN KEY (member_id, person_id, organisation_id)
    REFERENCES circle_members (id, person_id, organisation_id) ON DELETE CASCADE;
ALTER TABLE goals ADD CONSTRAINT goals_person_fk FOREIGN KEY (person_id, organisation_id)
    REFERENCES people (id, organisation_id) ON DELETE CASCADE;
ALTER TABLE goal_status_changes ADD CONSTRAINT goal_status_changes_goal_fk FOREIGN KEY (goal_id, person_id, organisation_id)
    REFERENCES goals (id, person_id, organisation_id) ON DELETE CASCADE;
ALTER TABLE goal_actions
    ADD CONSTRAINT goal_actions_goal_fk FOREIGN KEY (goal_id, person_id, organisation_id)
        REFERENCES goals (id, person_id, organisation_id) ON DELETE CASCADE,
    ADD CONSTRAINT goal_actions_owner_member_fk FOREIGN KEY (owner_member_id, person_id, organisation_id)
        REFERENCES circle_members (id, person_id, organisation_id);
ALTER TABLE reviews ADD CONSTRAINT reviews_person_fk FOREIGN KEY (person_id, organisation_id)
    REFERENCES people (id, organisation_id) ON DELETE CASCADE;
ALTER TABLE review_ratings
    ADD CONSTRAINT review_ratings_review_fk FOREIGN KEY (review_id, person_id, organisation_id)
        REFERENCES reviews (id, person_id, organisation_id) ON DELETE CASCADE,
    ADD CONSTRAINT review_ratings_goal_fk FOREIGN KEY (goal_id, person_id, organisation_id)
        REFERENCES goals (id, person_id, organisation_id) ON DELETE CASCADE;
