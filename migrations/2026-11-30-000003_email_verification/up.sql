-- An account's email is proven before a password reset goes to it: a mistyped address must
-- not become a way into the account. Existing accounts start unverified.
ALTER TABLE accounts ADD COLUMN email_verified_at timestamptz;
-- Codes already mailed went to addresses nobody has verified.
DELETE FROM password_resets;

CREATE TABLE email_verifications (
    code_hash bytea PRIMARY KEY,
    account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- The address the code was sent to: a later change of email does not inherit the proof.
    email text NOT NULL,
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX email_verifications_account_idx ON email_verifications (account_id);
ALTER TABLE outbox_emails DROP CONSTRAINT outbox_emails_kind_check;
ALTER TABLE outbox_emails ADD CONSTRAINT outbox_emails_kind_check
    CHECK (kind IN ('staff_invitation', 'circle_invitation', 'password_reset', 'email_verification'));
