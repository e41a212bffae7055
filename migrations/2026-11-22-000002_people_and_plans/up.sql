-- Supported people and their plans: records, mentors, supported sign-in, strengths profiles,
-- circles of support, goals and actions, scales and reviews. Every person-scoped row carries
-- organisation_id and person_id.

-- Supported people and circle supporters sign in too. Supporters belong to no organisation
-- (one parent may be in the circles of children at two providers); people have no email.
ALTER TABLE accounts DROP CONSTRAINT accounts_role_check;
ALTER TABLE accounts ADD CONSTRAINT accounts_role_check CHECK (role IN
    ('platform_admin', 'admin', 'coordinator', 'mentor', 'commissioner', 'person', 'supporter'));
ALTER TABLE accounts DROP CONSTRAINT accounts_check;
ALTER TABLE accounts ADD CONSTRAINT accounts_organisation_check
    CHECK ((role IN ('platform_admin', 'supporter')) = (organisation_id IS NULL));
ALTER TABLE accounts ALTER COLUMN email DROP NOT NULL;
ALTER TABLE accounts ADD CONSTRAINT accounts_email_required
    CHECK (role = 'person' OR email IS NOT NULL);

CREATE TABLE people (
    id                  uuid PRIMARY KEY,
    organisation_id     uuid NOT NULL REFERENCES organisations (id),
    preferred_name      text NOT NULL CHECK (char_length(preferred_name) BETWEEN 1 AND 100),
    legal_name          text CHECK (char_length(legal_name) <= 200),
    date_of_birth       date,
    pronouns            text CHECK (char_length(pronouns) <= 50),
    preferred_language  text NOT NULL DEFAULT 'en' CHECK (preferred_language IN ('en', 'cy')),
    -- The Welsh Active Offer: was a service in Welsh offered, and was it taken up.
    welsh_offered       boolean NOT NULL DEFAULT false,
    welsh_accepted      boolean,
    communication_needs text[] NOT NULL DEFAULT '{}',
    service_type        text NOT NULL CHECK (service_type IN
                        ('learning_disability', 'childrens_services', 'work_support', 'mental_health', 'other')),
    support_started_on  date NOT NULL,
    support_ended_on    date,
    account_id          uuid UNIQUE REFERENCES accounts (id),
    version             integer NOT NULL DEFAULT 1,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CHECK (support_ended_on IS NULL OR support_ended_on >= support_started_on)
);
CREATE INDEX people_organisation_idx ON people (organisation_id, id);

CREATE TABLE mentor_assignments (
    person_id        uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    mentor_id        uuid NOT NULL REFERENCES accounts (id),
    organisation_id  uuid NOT NULL REFERENCES organisations (id),
    assigned_by      uuid REFERENCES accounts (id),
    assigned_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (person_id, mentor_id)
);
CREATE INDEX mentor_assignments_mentor_idx ON mentor_assignments (mentor_id, person_id);

-- One-time codes a mentor issues so the person can sign in on their own phone.
CREATE TABLE device_codes (
    id               uuid PRIMARY KEY,
    person_id        uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    organisation_id  uuid NOT NULL REFERENCES organisations (id),
    code_hash        bytea NOT NULL UNIQUE,
    issued_by        uuid NOT NULL REFERENCES accounts (id),
    expires_at       timestamptz NOT NULL,
    redeemed_at      timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now()
);

-- Every save of a profile section is a new row: the latest per section is the profile, the
-- rest is its history.
CREATE TABLE profile_entries (
    id                 uuid PRIMARY KEY,
    person_id          uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    organisation_id    uuid NOT NULL REFERENCES organisations (id),
    section            text NOT NULL CHECK (section IN ('liked_and_admired', 'important_to_me',
                       'important_for_me', 'how_to_support_me', 'strengths_and_skills', 'hopes_and_dreams')),
    body               text NOT NULL CHECK (char_length(body) <= 5000),
    lang               text NOT NULL CHECK (lang IN ('en', 'cy')),
    author_account_id  uuid NOT NULL REFERENCES accounts (id),
    author_kind        text NOT NULL CHECK (author_kind IN ('person', 'staff', 'supporter')),
    created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX profile_entries_person_idx ON profile_entries (person_id, section, id DESC);

CREATE TABLE circle_members (
    id                       uuid PRIMARY KEY,
    person_id                uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    organisation_id          uuid NOT NULL REFERENCES organisations (id),
    name                     text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    relationship             text NOT NULL CHECK (relationship IN ('family', 'friend', 'professional', 'community', 'peer')),
    email                    text CHECK (char_length(email) <= 254),
    phone                    text CHECK (char_length(phone) <= 40),
    can_see_profile          boolean NOT NULL DEFAULT false,
    can_see_goals            boolean NOT NULL DEFAULT false,
    can_see_stories          boolean NOT NULL DEFAULT false,
    can_see_reviews          boolean NOT NULL DEFAULT false,
    can_encourage            boolean NOT NULL DEFAULT false,
    can_contribute           boolean NOT NULL DEFAULT false,
    parental_responsibility  boolean NOT NULL DEFAULT false,
    account_id               uuid REFERENCES accounts (id),
    removed_at               timestamptz,
    version                  integer NOT NULL DEFAULT 1,
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX circle_members_person_idx ON circle_members (person_id, id);
CREATE UNIQUE INDEX circle_members_account_person_key ON circle_members (account_id, person_id)
    WHERE removed_at IS NULL AND account_id IS NOT NULL;

CREATE TABLE circle_invitations (
    id               uuid PRIMARY KEY,
    member_id        uuid NOT NULL REFERENCES circle_members (id) ON DELETE CASCADE,
    person_id        uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    organisation_id  uuid NOT NULL REFERENCES organisations (id),
    code_hash        bytea NOT NULL UNIQUE,
    issued_by        uuid NOT NULL REFERENCES accounts (id),
    expires_at       timestamptz NOT NULL,
    accepted_at      timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now()
);

-- Rating scales are data. Labels: [{"value": 0, "en": "...", "cy": "..."}].
CREATE TABLE scales (
    id           uuid PRIMARY KEY,
    code         text NOT NULL UNIQUE,
    name_en      text NOT NULL,
    name_cy      text,
    min_value    double precision NOT NULL,
    max_value    double precision NOT NULL,
    step         double precision NOT NULL CHECK (step > 0),
    labels       jsonb NOT NULL DEFAULT '[]'::jsonb,
    is_default   boolean NOT NULL DEFAULT false,
    source_note  text,
    CHECK (max_value > min_value)
);
CREATE UNIQUE INDEX scales_one_default ON scales (is_default) WHERE is_default;

INSERT INTO scales (id, code, name_en, name_cy, min_value, max_value, step, labels, is_default, source_note) VALUES
('01937a00-0000-7000-8000-000000000001', 'distance_travelled', 'Distance travelled (0–10)', 'Pellter a deithiwyd (0–10)',
 0, 10, 1,
 '[{"value": 0, "en": "Just starting", "cy": "Newydd ddechrau"}, {"value": 10, "en": "Goal reached", "cy": "Wedi cyrraedd y nod"}]',
 true, 'How close am I to this goal; the default scale.'),
('01937a00-0000-7000-8000-000000000002', 'goal_attainment', 'Goal Attainment Scaling', NULL,
 -2, 2, 1,
 '[{"value": -2, "en": "Much less than expected"}, {"value": -1, "en": "Less than expected"}, {"value": 0, "en": "Expected level (agreed with the person)"}, {"value": 1, "en": "Better than expected"}, {"value": 2, "en": "Much better than expected"}]',
 false, 'Welsh labels to confirm: English is served where Welsh is missing.'),
('01937a00-0000-7000-8000-000000000003', 'review_outcome', 'Review outcome', NULL,
 0, 2, 1,
 '[{"value": 0, "en": "Not met"}, {"value": 1, "en": "Partially met"}, {"value": 2, "en": "Fully met"}]',
 false, 'England adult social care client-level data; Welsh labels to confirm.');

CREATE TABLE goals (
    id                 uuid PRIMARY KEY,
    person_id          uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    organisation_id    uuid NOT NULL REFERENCES organisations (id),
    title              text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 300),
    why_it_matters     text CHECK (char_length(why_it_matters) <= 2000),
    lang               text NOT NULL CHECK (lang IN ('en', 'cy')),
    target_date        date,
    status             text NOT NULL CHECK (status IN ('active', 'achieved', 'paused', 'stopped')),
    scale_id           uuid NOT NULL REFERENCES scales (id),
    author_account_id  uuid NOT NULL REFERENCES accounts (id),
    version            integer NOT NULL DEFAULT 1,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX goals_person_idx ON goals (person_id, id);

CREATE TABLE goal_status_changes (
    id               uuid PRIMARY KEY,
    goal_id          uuid NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
    person_id        uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    organisation_id  uuid NOT NULL REFERENCES organisations (id),
    status           text NOT NULL,
    changed_by       uuid NOT NULL REFERENCES accounts (id),
    changed_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX goal_status_changes_goal_idx ON goal_status_changes (goal_id, id);

CREATE TABLE goal_actions (
    id                 uuid PRIMARY KEY,
    goal_id            uuid NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
    person_id          uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    organisation_id    uuid NOT NULL REFERENCES organisations (id),
    description        text NOT NULL CHECK (char_length(description) BETWEEN 1 AND 500),
    owner              text NOT NULL CHECK (owner IN ('person', 'mentor', 'circle_member')),
    owner_member_id    uuid REFERENCES circle_members (id),
    due_on             date,
    done_at            timestamptz,
    -- A supporter's suggestion waits for the person to accept it.
    state              text NOT NULL CHECK (state IN ('accepted', 'suggested', 'declined')),
    author_account_id  uuid NOT NULL REFERENCES accounts (id),
    version            integer NOT NULL DEFAULT 1,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CHECK ((owner = 'circle_member') = (owner_member_id IS NOT NULL))
);
CREATE INDEX goal_actions_goal_idx ON goal_actions (goal_id, id);

CREATE TABLE reviews (
    id                        uuid PRIMARY KEY,
    person_id                 uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    organisation_id           uuid NOT NULL REFERENCES organisations (id),
    held_on                   date NOT NULL,
    person_took_part          boolean NOT NULL,
    staff_participants        uuid[] NOT NULL DEFAULT '{}',
    circle_participants       uuid[] NOT NULL DEFAULT '{}',
    whats_working             text CHECK (char_length(whats_working) <= 5000),
    whats_not_working         text CHECK (char_length(whats_not_working) <= 5000),
    staff_notes               text CHECK (char_length(staff_notes) <= 5000),
    lang                      text NOT NULL CHECK (lang IN ('en', 'cy')),
    next_review_on            date,
    author_account_id         uuid NOT NULL REFERENCES accounts (id),
    version                   integer NOT NULL DEFAULT 1,
    created_at                timestamptz NOT NULL DEFAULT now(),
    updated_at                timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reviews_person_idx ON reviews (person_id, held_on, id);

CREATE TABLE review_ratings (
    review_id        uuid NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    goal_id          uuid NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
    person_id        uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    organisation_id  uuid NOT NULL REFERENCES organisations (id),
    value            double precision NOT NULL,
    comment          text CHECK (char_length(comment) <= 2000),
    PRIMARY KEY (review_id, goal_id)
);
CREATE INDEX review_ratings_goal_idx ON review_ratings (goal_id);
