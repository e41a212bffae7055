-- Achievement stories with photos, encouragement (reactions and comments) and the activity
-- feed. Every row carries (person_id, organisation_id) and composite foreign keys to its
-- parent, so nothing can cross organisations.

ALTER TABLE goal_actions ADD CONSTRAINT goal_actions_scope_key UNIQUE (id, person_id, organisation_id);

CREATE TABLE stories (
    id                 uuid PRIMARY KEY,
    person_id          uuid NOT NULL,
    organisation_id    uuid NOT NULL,
    body               text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 5000),
    lang               text NOT NULL CHECK (lang IN ('en', 'cy')),
    -- private: the person and their staff; circle: members with the stories grant;
    -- members: the chosen members among those (story_audience).
    audience           text NOT NULL CHECK (audience IN ('private', 'circle', 'members')),
    goal_id            uuid,
    action_id          uuid,
    author_account_id  uuid NOT NULL REFERENCES accounts (id),
    author_kind        text NOT NULL CHECK (author_kind IN ('person', 'staff', 'supporter')),
    -- A supporter's story waits for the person to accept it.
    status             text NOT NULL CHECK (status IN ('pending', 'published')),
    -- Set while a concern about it is open: nobody in the circle sees it.
    hidden_at          timestamptz,
    version            integer NOT NULL DEFAULT 1,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT stories_scope_key UNIQUE (id, person_id, organisation_id),
    CONSTRAINT stories_person_fk FOREIGN KEY (person_id, organisation_id)
        REFERENCES people (id, organisation_id) ON DELETE CASCADE,
    CONSTRAINT stories_goal_fk FOREIGN KEY (goal_id, person_id, organisation_id)
        REFERENCES goals (id, person_id, organisation_id),
    CONSTRAINT stories_action_fk FOREIGN KEY (action_id, person_id, organisation_id)
        REFERENCES goal_actions (id, person_id, organisation_id),
    CHECK ((author_kind = 'supporter') OR status = 'published')
);
CREATE INDEX stories_person_idx ON stories (person_id, id DESC);

CREATE TABLE story_audience (
    story_id         uuid NOT NULL,
    member_id        uuid NOT NULL,
    person_id        uuid NOT NULL,
    organisation_id  uuid NOT NULL,
    PRIMARY KEY (story_id, member_id),
    FOREIGN KEY (story_id, person_id, organisation_id)
        REFERENCES stories (id, person_id, organisation_id) ON DELETE CASCADE,
    FOREIGN KEY (member_id, person_id, organisation_id)
        REFERENCES circle_members (id, person_id, organisation_id) ON DELETE CASCADE
);

-- A photo is visible only once its objects are stored (stored_at); a row left without it
-- by a crash is swept, with whatever objects it had written.
CREATE TABLE photos (
    id               uuid PRIMARY KEY,
    story_id         uuid NOT NULL,
    person_id        uuid NOT NULL,
    organisation_id  uuid NOT NULL,
    width            integer NOT NULL CHECK (width > 0),
    height           integer NOT NULL CHECK (height > 0),
    uploaded_by      uuid NOT NULL REFERENCES accounts (id),
    -- Keyed fingerprints of the uploader's Idempotency-Key and of the bytes sent: a retry
    -- after a lost response finds its photo, a different photo under the same key is refused.
    upload_key       bytea,
    body_hash        bytea NOT NULL,
    stored_at        timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (story_id, person_id, organisation_id)
        REFERENCES stories (id, person_id, organisation_id) ON DELETE CASCADE
);
CREATE INDEX photos_story_idx ON photos (story_id, id);
CREATE UNIQUE INDEX photos_upload_key ON photos (uploaded_by, upload_key) WHERE upload_key IS NOT NULL;
CREATE INDEX photos_unstored_idx ON photos (created_at) WHERE stored_at IS NULL;

-- Objects to remove from storage. However a photo row goes (its own delete, its story's, its
-- person's erasure, a failed upload), its objects are queued here in the same transaction
-- and removed by the request that deleted it or, failing that, by housekeeping.
CREATE TABLE storage_deletions (
    prefix      text PRIMARY KEY,
    queued_at   timestamptz NOT NULL DEFAULT now(),
    attempts    integer NOT NULL DEFAULT 0
);
CREATE FUNCTION queue_photo_objects() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO storage_deletions (prefix) VALUES ('photos/' || OLD.id || '/')
        ON CONFLICT DO NOTHING;
    RETURN OLD;
END $$;
CREATE TRIGGER photos_queue_objects AFTER DELETE ON photos
    FOR EACH ROW EXECUTE FUNCTION queue_photo_objects();

-- Encouragement on a story, a goal or an action: exactly one of them.
CREATE TABLE reactions (
    id               uuid PRIMARY KEY,
    person_id        uuid NOT NULL,
    organisation_id  uuid NOT NULL,
    story_id         uuid,
    goal_id          uuid,
    action_id        uuid,
    account_id       uuid NOT NULL REFERENCES accounts (id),
    kind             text NOT NULL CHECK (kind IN ('heart', 'clap', 'star', 'celebrate', 'strong')),
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (num_nonnulls(story_id, goal_id, action_id) = 1),
    FOREIGN KEY (story_id, person_id, organisation_id)
        REFERENCES stories (id, person_id, organisation_id) ON DELETE CASCADE,
    FOREIGN KEY (goal_id, person_id, organisation_id)
        REFERENCES goals (id, person_id, organisation_id) ON DELETE CASCADE,
    FOREIGN KEY (action_id, person_id, organisation_id)
        REFERENCES goal_actions (id, person_id, organisation_id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX reactions_once ON reactions (COALESCE(story_id, goal_id, action_id), account_id, kind);

CREATE TABLE comments (
    id               uuid PRIMARY KEY,
    person_id        uuid NOT NULL,
    organisation_id  uuid NOT NULL,
    story_id         uuid,
    goal_id          uuid,
    action_id        uuid,
    author_account_id uuid NOT NULL REFERENCES accounts (id),
    body             text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 2000),
    lang             text NOT NULL CHECK (lang IN ('en', 'cy')),
    hidden_at        timestamptz,
    hidden_by        uuid REFERENCES accounts (id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (num_nonnulls(story_id, goal_id, action_id) = 1),
    CHECK ((hidden_at IS NULL) = (hidden_by IS NULL)),
    CONSTRAINT comments_scope_key UNIQUE (id, person_id, organisation_id),
    FOREIGN KEY (story_id, person_id, organisation_id)
        REFERENCES stories (id, person_id, organisation_id) ON DELETE CASCADE,
    FOREIGN KEY (goal_id, person_id, organisation_id)
        REFERENCES goals (id, person_id, organisation_id) ON DELETE CASCADE,
    FOREIGN KEY (action_id, person_id, organisation_id)
        REFERENCES goal_actions (id, person_id, organisation_id) ON DELETE CASCADE
);
CREATE INDEX comments_target_idx ON comments (COALESCE(story_id, goal_id, action_id), id);

-- What happened in a person's plan, written in the same transaction as the change. The feed
-- reads it; a trigger announces each row to every instance (NOTIFY is delivered on commit),
-- carrying ids only.
CREATE TABLE activities (
    id                uuid PRIMARY KEY,
    person_id         uuid NOT NULL,
    organisation_id   uuid NOT NULL,
    kind              text NOT NULL CHECK (kind IN ('story_posted', 'goal_set', 'goal_achieved',
                                                    'action_done', 'review_held', 'encouraged')),
    actor_account_id  uuid NOT NULL REFERENCES accounts (id),
    story_id          uuid,
    goal_id           uuid,
    action_id         uuid,
    review_id         uuid,
    comment_id        uuid,
    reaction          text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (person_id, organisation_id)
        REFERENCES people (id, organisation_id) ON DELETE CASCADE,
    FOREIGN KEY (story_id, person_id, organisation_id)
        REFERENCES stories (id, person_id, organisation_id) ON DELETE CASCADE,
    FOREIGN KEY (goal_id, person_id, organisation_id)
        REFERENCES goals (id, person_id, organisation_id) ON DELETE CASCADE,
    FOREIGN KEY (action_id, person_id, organisation_id)
        REFERENCES goal_actions (id, person_id, organisation_id) ON DELETE CASCADE,
    FOREIGN KEY (review_id, person_id, organisation_id)
        REFERENCES reviews (id, person_id, organisation_id) ON DELETE CASCADE,
    FOREIGN KEY (comment_id, person_id, organisation_id)
        REFERENCES comments (id, person_id, organisation_id) ON DELETE CASCADE
);
CREATE INDEX activities_person_idx ON activities (person_id, id DESC);

CREATE FUNCTION announce_activity() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('camau_activity', NEW.id::text || ' ' || NEW.person_id::text);
    RETURN NULL;
END $$;
CREATE TRIGGER activities_announce AFTER INSERT ON activities
    FOR EACH ROW EXECUTE FUNCTION announce_activity();
