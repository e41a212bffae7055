-- Outside review (issue 19).
-- 1. The audit trail's request id is made by the server; the id a client sent is kept beside it.
ALTER TABLE audit_events ADD COLUMN client_request_id text;

-- 2. A concern that hides a comment no longer records its raiser on the comment (the raiser is
--    kept on the concern alone: the comment is part of the person's record and export).
--    `hidden_by` now means "hidden by moderation" (the person or staff).
ALTER TABLE comments DROP CONSTRAINT comments_check1;
ALTER TABLE comments ADD CONSTRAINT comments_hidden_by_hidden
    CHECK (hidden_by IS NULL OR hidden_at IS NOT NULL);
-- The comments hidden so far by a concern forget who raised it; one system event says so (a
-- change to a table about a person commits only with its audit event).
INSERT INTO audit_events (id, actor_role, action, subject_type, details)
SELECT gen_random_uuid(), 'system', 'comments.concern_raisers_removed', 'comment',
       jsonb_build_object('rows', count(*))
  FROM comments c JOIN concerns k ON k.comment_id = c.id AND k.hid_item
 WHERE c.hidden_by = k.raised_by
HAVING count(*) > 0;
SELECT set_config('camau.audited', 'on', true);
UPDATE comments c SET hidden_by = NULL
  FROM concerns k
 WHERE k.comment_id = c.id AND k.hid_item AND c.hidden_by = k.raised_by;
