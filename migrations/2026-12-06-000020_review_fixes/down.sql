ALTER TABLE comments DROP CONSTRAINT comments_hidden_by_hidden;
UPDATE comments SET hidden_at = NULL WHERE hidden_by IS NULL AND hidden_at IS NOT NULL;
ALTER TABLE comments ADD CONSTRAINT comments_check1 CHECK ((hidden_at IS NULL) = (hidden_by IS NULL));
ALTER TABLE audit_events DROP COLUMN client_request_id;
