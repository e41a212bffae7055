ALTER TABLE idempotency_keys DROP COLUMN mentions;
DROP FUNCTION retention_in_force(integer, integer, timestamptz);
ALTER TABLE organisations DROP COLUMN retention_previous_months, DROP COLUMN retention_effective_at;
DROP TRIGGER sync_note ON story_audience;
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
        false);
BEGIN
    -- A person being erased leaves nothing behind here (see `sync_erasures`).
    IF TG_OP = 'DELETE' AND NOT EXISTS (
        SELECT 1 FROM people WHERE id = (r ->> 'person_id')::uuid) THEN
        RETURN NULL;
    END IF;
    INSERT INTO sync_log AS l (record_type, record_id, person_id, organisation_id, op, tx, seq,
                               changed_at, withdrawn)
    VALUES (TG_ARGV[0], (r ->> TG_ARGV[1])::uuid, (r ->> 'person_id')::uuid,
            (r ->> 'organisation_id')::uuid, op, pg_current_xact_id()::text::bigint,
            nextval('sync_seq'), now(), gone)
    ON CONFLICT (record_type, person_id, record_id) DO UPDATE
       SET op = excluded.op, tx = excluded.tx, seq = excluded.seq, changed_at = excluded.changed_at,
           -- Sticky: a later edit must not hide that the circle lost sight of it.
           withdrawn = l.withdrawn OR excluded.withdrawn
     WHERE NOT (part AND l.op = 'delete');
    RETURN NULL;
END $$;

ALTER TABLE sync_log DROP COLUMN unseen;
ALTER TABLE comments DROP CONSTRAINT comments_hidden_by_hidden;
SELECT set_config('camau.audited', 'on', true);
-- The earlier shape wrote the raiser on a comment a concern hid: put it back (never unhide).
UPDATE comments c SET hidden_by = k.raised_by
  FROM concerns k
 WHERE k.comment_id = c.id AND k.hid_item AND c.hidden_by IS NULL AND c.hidden_at IS NOT NULL;
UPDATE comments c SET hidden_by = c.author_account_id
 WHERE c.hidden_by IS NULL AND c.hidden_at IS NOT NULL;
ALTER TABLE comments ADD CONSTRAINT comments_check1 CHECK ((hidden_at IS NULL) = (hidden_by IS NULL));
ALTER TABLE audit_events DROP COLUMN client_request_id;
