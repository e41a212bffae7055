DROP TABLE password_resets;
DROP TABLE outbox_emails;
