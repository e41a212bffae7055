-- Delta sync, after review (issue 11): what a follower's phone must drop is said as well as
-- what changed.
-- 1. A record taken from the circle's sight (a story or comment hidden, a story made private,
--    its audience changed, no longer published) is marked `withdrawn`: supporters, who no
--    longer see it, get a tombstone for it instead of nothing.
-- 2. A consent given or withdrawn re-notes the person's circle members with sign-ins, so each
--    supporter learns (`access changed`) what they may see now.
-- 3. An erased person leaves, for every account that followed them, an `access revoked`: the
--    follower's phone drops the person. Ids only; kept 30 days like tombstones.
ALTER TABLE sync_log ADD COLUMN withdrawn boolean NOT NULL DEFAULT false;

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

CREATE FUNCTION sync_consent() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO sync_log AS l (record_type, record_id, person_id, organisation_id, op, tx, seq, changed_at)
    SELECT 'circle_member', cm.id, cm.person_id, cm.organisation_id, 'upsert',
           pg_current_xact_id()::text::bigint, nextval('sync_seq'), now()
      FROM circle_members cm
     WHERE cm.person_id = NEW.person_id AND cm.account_id IS NOT NULL AND cm.removed_at IS NULL
    ON CONFLICT (record_type, person_id, record_id) DO UPDATE
       SET op = excluded.op, tx = excluded.tx, seq = excluded.seq, changed_at = excluded.changed_at;
    RETURN NULL;
END $$;
CREATE TRIGGER sync_consent AFTER INSERT OR UPDATE ON consents
    FOR EACH ROW EXECUTE FUNCTION sync_consent();

CREATE TABLE sync_erasures (
    account_id  uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    erased      uuid NOT NULL,
    tx          bigint NOT NULL,
    seq         bigint NOT NULL,
    erased_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, erased)
);
CREATE INDEX sync_erasures_erased_at_idx ON sync_erasures (erased_at);

CREATE FUNCTION sync_erased() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO sync_erasures (account_id, erased, tx, seq)
    SELECT f.id, OLD.id, pg_current_xact_id()::text::bigint, nextval('sync_seq')
      FROM (SELECT a.id FROM accounts a
             WHERE a.organisation_id = OLD.organisation_id
               AND a.role IN ('admin', 'coordinator', 'mentor')
            UNION
            SELECT cm.account_id FROM circle_members cm
             WHERE cm.person_id = OLD.id AND cm.account_id IS NOT NULL) f
    ON CONFLICT DO NOTHING;
    RETURN OLD;
END $$;
CREATE TRIGGER sync_erased BEFORE DELETE ON people FOR EACH ROW EXECUTE FUNCTION sync_erased();
