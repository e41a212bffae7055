DELETE FROM outbox_emails WHERE kind = 'email_verification';
ALTER TABLE outbox_emails DROP CONSTRAINT outbox_emails_kind_check;
ALTER TABLE outbox_emails ADD CONSTRAINT outbox_emails_kind_check
    CHECK (kind IN ('staff_invitation', 'circle_invitation', 'password_reset'));
DROP TABLE email_verifications;
ALTER TABLE accounts DROP COLUMN email_verified_at;
