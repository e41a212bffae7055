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

-- 3. Delta sync: a member taken off a story's chosen audience gets a tombstone for it (the
--    audience list was not logged at all); a story deleted while private or unpublished sends
--    no tombstone to supporters, who never could see it.
ALTER TABLE sync_log ADD COLUMN unseen boolean NOT NULL DEFAULT false;

CREATE OR REPLACE FUNCTION sync_note() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r jsonb := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
    was jsonb := CASE WHEN TG_OP = 'UPDATE' THEN to_jsonb(OLD) END;
    part boolean := TG_NARGS > 2;
    op text := CASE WHEN TG_OP = 'DELETE' AND NOT part THEN 'delete' ELSE 'upsert' END;
    gone boolean := coalesce(was IS NOT NULL AND NOT part AND (
        ((was ->> 'hidden_at') IS NULL AND (r ->> 'hidden_at') IS NOT NULL)
        OR (was ->> 'audience') IS DISTINCT FROM (r ->> 'audience')
        OR ((was ->> 'status') = 'published' AND (r ->> 'status') IS DISTINCT FROM 'published')),
        false)
        -- A member taken off a story's chosen audience loses sight of it.
        OR (part AND TG_OP = 'DELETE' AND TG_TABLE_NAME = 'story_audience');
    -- A story deleted while private or unpublished: the circle never saw it as it was then,
    -- so supporters get no tombstone for it (one it had before is `withdrawn`, sticky).
    unseen boolean := TG_OP = 'DELETE' AND NOT part AND TG_ARGV[0] = 'story'
        AND ((r ->> 'audience') = 'private' OR (r ->> 'status') IS DISTINCT FROM 'published');
BEGIN
    -- A person being erased leaves nothing behind here (see `sync_erasures`).
    IF TG_OP = 'DELETE' AND NOT EXISTS (
        SELECT 1 FROM people WHERE id = (r ->> 'person_id')::uuid) THEN
        RETURN NULL;
    END IF;
    INSERT INTO sync_log AS l (record_type, record_id, person_id, organisation_id, op, tx, seq,
                               changed_at, withdrawn, unseen)
    VALUES (TG_ARGV[0], (r ->> TG_ARGV[1])::uuid, (r ->> 'person_id')::uuid,
            (r ->> 'organisation_id')::uuid, op, pg_current_xact_id()::text::bigint,
            nextval('sync_seq'), now(), gone, unseen)
    ON CONFLICT (record_type, person_id, record_id) DO UPDATE
       SET op = excluded.op, tx = excluded.tx, seq = excluded.seq, changed_at = excluded.changed_at,
           -- Sticky: a later edit must not hide that the circle lost sight of it.
           withdrawn = l.withdrawn OR excluded.withdrawn, unseen = excluded.unseen
     WHERE NOT (part AND l.op = 'delete');
    RETURN NULL;
END $$;

CREATE TRIGGER sync_note AFTER INSERT OR DELETE ON story_audience
    FOR EACH ROW EXECUTE FUNCTION sync_note('story', 'story_id', 'part');

-- 4. A shorter retention period takes effect only after a grace period: until then the one it
--    replaced stays in force (`retention_previous_months`; NULL: keep until someone decides).
ALTER TABLE organisations
    ADD COLUMN retention_previous_months integer,
    ADD COLUMN retention_effective_at timestamptz;
CREATE FUNCTION retention_in_force(months integer, previous integer, effective_at timestamptz)
    RETURNS integer LANGUAGE sql STABLE AS
$$ SELECT CASE WHEN effective_at > now() THEN previous ELSE months END $$;

-- 5. A stored (idempotent) answer keeps the ids it names, so erasing a person removes every
--    stored answer that names them, whichever checks let it be made.
ALTER TABLE idempotency_keys ADD COLUMN mentions uuid[] NOT NULL DEFAULT '{}';
CREATE INDEX idempotency_keys_mentions_idx ON idempotency_keys USING gin (mentions);
