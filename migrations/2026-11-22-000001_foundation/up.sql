-- Organisations, accounts, sessions and the audit trail: what every later slice stands on.

CREATE TABLE organisations (
    id          uuid PRIMARY KEY,
    name        text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    kind        text NOT NULL CHECK (kind IN ('provider', 'commissioning_body')),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- A commissioning body's contract with a provider: the basis of its (aggregate) reports.
CREATE TABLE contracts (
    id                     uuid PRIMARY KEY,
    commissioning_body_id  uuid NOT NULL REFERENCES organisations (id),
    provider_id            uuid NOT NULL REFERENCES organisations (id),
    starts_on              date NOT NULL,
    ends_on                date,
    created_at             timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_on IS NULL OR ends_on >= starts_on),
    CHECK (commissioning_body_id <> provider_id),
    UNIQUE (commissioning_body_id, provider_id, starts_on)
);
CREATE INDEX contracts_provider_idx ON contracts (provider_id);

CREATE TABLE accounts (
    id               uuid PRIMARY KEY,
    organisation_id  uuid REFERENCES organisations (id),
    email            text NOT NULL UNIQUE CHECK (email = lower(email)),
    name             text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    role             text NOT NULL
                     CHECK (role IN ('platform_admin', 'admin', 'coordinator', 'mentor', 'commissioner')),
    password_hash    text NOT NULL,
    deactivated_at   timestamptz,
    version          integer NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    -- Only the platform operator's accounts stand outside every organisation.
    CHECK ((role = 'platform_admin') = (organisation_id IS NULL))
);
CREATE INDEX accounts_organisation_idx ON accounts (organisation_id, id);

-- Single-use, expiring codes; only a hash of the code is kept.
CREATE TABLE invitations (
    id               uuid PRIMARY KEY,
    organisation_id  uuid NOT NULL REFERENCES organisations (id),
    email            text NOT NULL CHECK (email = lower(email)),
    role             text NOT NULL CHECK (role IN ('admin', 'coordinator', 'mentor', 'commissioner')),
    code_hash        bytea NOT NULL UNIQUE,
    invited_by       uuid REFERENCES accounts (id),
    expires_at       timestamptz NOT NULL,
    accepted_at      timestamptz,
    account_id       uuid REFERENCES accounts (id),
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX invitations_organisation_idx ON invitations (organisation_id, id);

-- One session per sign-in; every access token names its session, checked on each request.
CREATE TABLE sessions (
    id              uuid PRIMARY KEY,
    account_id      uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    revoked_at      timestamptz,
    revoked_reason  text
);
CREATE INDEX sessions_live_account_idx ON sessions (account_id) WHERE revoked_at IS NULL;

-- The refresh-token family of a session: rotated on each use; a reused one revokes the session.
CREATE TABLE refresh_tokens (
    token_hash  bytea PRIMARY KEY,
    session_id  uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id);

-- Failed sign-ins per account (hashed email) and per client address.
CREATE TABLE login_throttles (
    key                text PRIMARY KEY,
    failures           integer NOT NULL,
    window_started_at  timestamptz NOT NULL,
    blocked_until      timestamptz
);

CREATE TABLE audit_events (
    id                uuid PRIMARY KEY,
    organisation_id   uuid REFERENCES organisations (id),
    actor_account_id  uuid REFERENCES accounts (id),
    action            text NOT NULL,
    subject_type      text NOT NULL,
    subject_id        uuid,
    details           jsonb NOT NULL DEFAULT '{}'::jsonb,
    occurred_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_events_organisation_idx ON audit_events (organisation_id, id);
