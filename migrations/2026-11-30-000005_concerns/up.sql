-- Safeguarding: "I'm worried" about a story or a comment hides it from the circle at once and
-- routes it privately to the organisation's safeguarding leads (a staff flag admins set).

ALTER TABLE accounts ADD COLUMN safeguarding_lead boolean NOT NULL DEFAULT false;

CREATE TABLE concerns (
    id                uuid PRIMARY KEY,
    person_id         uuid NOT NULL,
    organisation_id   uuid NOT NULL,
    story_id          uuid,
    comment_id        uuid,
    raised_by         uuid NOT NULL REFERENCES accounts (id),
    reason            text CHECK (char_length(reason) <= 2000),
    -- open: the item is hidden from the circle; resolved: dealt with, the item stays hidden;
    -- restored: no cause for concern, the item is shown again.
    status            text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'restored')),
    handled_by        uuid REFERENCES accounts (id),
    handled_at        timestamptz,
    note              text CHECK (char_length(note) <= 2000),
    -- Whether raising it hid the item (rather than finding it hidden already, by the person,
    -- staff or an earlier concern): only then does restoring show it again.
    hid_item          boolean NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (num_nonnulls(story_id, comment_id) = 1),
    CHECK ((status = 'open') = (handled_at IS NULL)),
    FOREIGN KEY (person_id, organisation_id)
        REFERENCES people (id, organisation_id) ON DELETE CASCADE,
    FOREIGN KEY (story_id, person_id, organisation_id)
        REFERENCES stories (id, person_id, organisation_id) ON DELETE CASCADE,
    FOREIGN KEY (comment_id, person_id, organisation_id)
        REFERENCES comments (id, person_id, organisation_id) ON DELETE CASCADE
);
-- One open concern per item: a second "I'm worried" joins the first.
CREATE UNIQUE INDEX concerns_open_story ON concerns (story_id) WHERE status = 'open';
CREATE UNIQUE INDEX concerns_open_comment ON concerns (comment_id) WHERE status = 'open';
CREATE INDEX concerns_organisation_idx ON concerns (organisation_id, status, id DESC);
