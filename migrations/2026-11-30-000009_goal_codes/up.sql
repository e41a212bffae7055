-- A goal, in the person's words and never edited by coding, carries outcome codes from one
-- or more frameworks: an area, and optionally one of its statements, each with who coded it
-- and when. Removing a code keeps the row (removed_at, removed_by) for the record; reports
-- read the current ones.

ALTER TABLE outcome_statements ADD CONSTRAINT outcome_statements_area_key UNIQUE (id, area_id);

CREATE TABLE goal_codes (
    id               uuid PRIMARY KEY,
    goal_id          uuid NOT NULL,
    person_id        uuid NOT NULL,
    organisation_id  uuid NOT NULL,
    area_id          uuid NOT NULL REFERENCES outcome_areas (id),
    statement_id     uuid,
    coded_by         uuid NOT NULL REFERENCES accounts (id),
    coded_at         timestamptz NOT NULL DEFAULT now(),
    removed_at       timestamptz,
    removed_by       uuid REFERENCES accounts (id),
    CHECK ((removed_at IS NULL) = (removed_by IS NULL)),
    FOREIGN KEY (goal_id, person_id, organisation_id)
        REFERENCES goals (id, person_id, organisation_id) ON DELETE CASCADE,
    -- A statement, when given, is one of the area's.
    FOREIGN KEY (statement_id, area_id) REFERENCES outcome_statements (id, area_id)
);
CREATE UNIQUE INDEX goal_codes_once ON goal_codes
    (goal_id, area_id, COALESCE(statement_id, '00000000-0000-0000-0000-000000000000'))
    WHERE removed_at IS NULL;
CREATE INDEX goal_codes_area_idx ON goal_codes (area_id) WHERE removed_at IS NULL;
