ALTER TABLE review_ratings DROP CONSTRAINT review_ratings_review_fk, DROP CONSTRAINT review_ratings_goal_fk;
ALTER TABLE reviews DROP CONSTRAINT reviews_person_fk;
ALTER TABLE goal_actions DROP CONSTRAINT goal_actions_goal_fk, DROP CONSTRAINT goal_actions_owner_member_fk;
ALTER TABLE goal_status_changes DROP CONSTRAINT goal_status_changes_goal_fk;
ALTER TABLE goals DROP CONSTRAINT goals_person_fk;
ALTER TABLE circle_invitations DROP CONSTRAINT circle_invitations_member_fk;
ALTER TABLE circle_members DROP CONSTRAINT circle_members_person_fk;
ALTER TABLE profile_entries DROP CONSTRAINT profile_entries_person_fk;
ALTER TABLE device_codes DROP CONSTRAINT device_codes_person_fk;
ALTER TABLE people DROP CONSTRAINT people_account_fk;
ALTER TABLE mentor_assignments DROP CONSTRAINT mentor_assignments_person_fk, DROP CONSTRAINT mentor_assignments_mentor_fk;
ALTER TABLE circle_members DROP CONSTRAINT circle_members_scope_key;
ALTER TABLE reviews DROP CONSTRAINT reviews_scope_key;
ALTER TABLE goals DROP CONSTRAINT goals_scope_key;
ALTER TABLE accounts DROP CONSTRAINT accounts_id_organisation_key;
ALTER TABLE people DROP CONSTRAINT people_id_organisation_key;

DROP TABLE idempotency_keys;
CREATE TABLE idempotency_keys (
    account_id    uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    key           text NOT NULL CHECK (char_length(key) BETWEEN 1 AND 255),
    request_hash  bytea NOT NULL,
    status        integer,
    headers       jsonb,
    body          bytea,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

ALTER TABLE refresh_tokens DROP COLUMN successor_hash, DROP COLUMN successor_sealed;
DROP TABLE person_devices;
DROP INDEX login_throttles_window_idx;
ALTER TABLE login_throttles ADD COLUMN blocked_until timestamptz;
