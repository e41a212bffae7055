-- Mail that is really sent: an outbox written in the same transaction as what a mail
-- announces, delivered by a worker (src/mail). The recipient, subject and body are sealed
-- (AES-256-GCM under the server secret) and dropped once the mail is sent or given up.
CREATE TABLE outbox_emails (
    id uuid PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('staff_invitation', 'circle_invitation', 'password_reset')),
    sealed bytea,
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error text,
    sent_at timestamptz,
    failed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((sent_at IS NULL AND failed_at IS NULL) = (sealed IS NOT NULL))
);
CREATE INDEX outbox_emails_due_idx ON outbox_emails (next_attempt_at)
    WHERE sent_at IS NULL AND failed_at IS NULL;

-- Password resets by email: single use, short lived, stored as a hash of the token.
CREATE TABLE password_resets (
    token_hash bytea PRIMARY KEY,
    account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX password_resets_account_idx ON password_resets (account_id);
