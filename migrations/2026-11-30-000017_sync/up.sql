-- Delta sync (issue 11): the latest change of every record an offline client may hold, one row
-- per record, written by triggers in the same transaction as the change (so no write path can
-- forget it). Ids and times only.
--
-- Order: (tx, seq). A reader only takes rows whose transaction is older than every transaction
-- still running (`pg_snapshot_xmin`), so a change that commits after a page was read, but
-- was numbered before it, is never skipped: its transaction held the horizon back.
CREATE SEQUENCE sync_seq;
CREATE TABLE sync_log (
    record_type      text NOT NULL CHECK (record_type IN ('profile', 'circle_member', 'goal',
                         'action', 'review', 'story', 'reaction', 'comment', 'assignment')),
    record_id        uuid NOT NULL,
    person_id        uuid NOT NULL,
    organisation_id  uuid NOT NULL,
    op               text NOT NULL CHECK (op IN ('upsert', 'delete')),
    tx               bigint NOT NULL,  -- pg_current_xact_id() (xid8) as a number
    seq              bigint NOT NULL,
    changed_at       timestamptz NOT NULL,
    PRIMARY KEY (record_type, person_id, record_id)
);
CREATE INDEX sync_log_person_idx ON sync_log (person_id, tx, seq);
CREATE INDEX sync_log_record_idx ON sync_log (record_id);
CREATE INDEX sync_log_tombstones_idx ON sync_log (changed_at) WHERE op = 'delete';

-- What is there already, as if just written.
INSERT INTO sync_log
SELECT 'goal', id, person_id, organisation_id, 'upsert', pg_current_xact_id()::text::bigint, nextval('sync_seq'), updated_at FROM goals
UNION ALL SELECT 'action', id, person_id, organisation_id, 'upsert', pg_current_xact_id()::text::bigint, nextval('sync_seq'), updated_at FROM goal_actions
UNION ALL SELECT 'review', id, person_id, organisation_id, 'upsert', pg_current_xact_id()::text::bigint, nextval('sync_seq'), updated_at FROM reviews
UNION ALL SELECT 'story', id, person_id, organisation_id, 'upsert', pg_current_xact_id()::text::bigint, nextval('sync_seq'), updated_at FROM stories
UNION ALL SELECT 'reaction', id, person_id, organisation_id, 'upsert', pg_current_xact_id()::text::bigint, nextval('sync_seq'), created_at FROM reactions
UNION ALL SELECT 'comment', id, person_id, organisation_id, 'upsert', pg_current_xact_id()::text::bigint, nextval('sync_seq'), created_at FROM comments
UNION ALL SELECT 'circle_member', id, person_id, organisation_id, 'upsert', pg_current_xact_id()::text::bigint, nextval('sync_seq'), updated_at FROM circle_members
UNION ALL SELECT 'assignment', mentor_id, person_id, organisation_id, 'upsert', pg_current_xact_id()::text::bigint, nextval('sync_seq'), assigned_at FROM mentor_assignments
UNION ALL SELECT DISTINCT ON (person_id) 'profile', person_id, person_id, organisation_id, 'upsert', pg_current_xact_id()::text::bigint, nextval('sync_seq'), created_at
  FROM profile_entries;

-- Notes a change: TG_ARGV[0] the record type, TG_ARGV[1] the column naming the record, and
-- TG_ARGV[2] = 'part' for the parts of a record (a review's ratings, a story's photos, the
-- entries of a profile): changing a part changes the record; removing one does not remove it,
-- and a part removed with its record (a cascade) does not bring the record back.
CREATE FUNCTION sync_note() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r jsonb := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
    part boolean := TG_NARGS > 2;
    op text := CASE WHEN TG_OP = 'DELETE' AND NOT part THEN 'delete' ELSE 'upsert' END;
BEGIN
    -- A person being erased leaves nothing behind here.
    IF TG_OP = 'DELETE' AND NOT EXISTS (
        SELECT 1 FROM people WHERE id = (r ->> 'person_id')::uuid) THEN
        RETURN NULL;
    END IF;
    INSERT INTO sync_log AS l (record_type, record_id, person_id, organisation_id, op, tx, seq, changed_at)
    VALUES (TG_ARGV[0], (r ->> TG_ARGV[1])::uuid, (r ->> 'person_id')::uuid,
            (r ->> 'organisation_id')::uuid, op, pg_current_xact_id()::text::bigint, nextval('sync_seq'), now())
    ON CONFLICT (record_type, person_id, record_id) DO UPDATE
       SET op = excluded.op, tx = excluded.tx, seq = excluded.seq, changed_at = excluded.changed_at
     WHERE NOT (part AND l.op = 'delete');
    RETURN NULL;
END $$;

CREATE TRIGGER sync_note AFTER INSERT OR UPDATE OR DELETE ON goals FOR EACH ROW EXECUTE FUNCTION sync_note('goal', 'id');
CREATE TRIGGER sync_note AFTER INSERT OR UPDATE OR DELETE ON goal_actions FOR EACH ROW EXECUTE FUNCTION sync_note('action', 'id');
CREATE TRIGGER sync_note AFTER INSERT OR UPDATE OR DELETE ON reviews FOR EACH ROW EXECUTE FUNCTION sync_note('review', 'id');
CREATE TRIGGER sync_note AFTER INSERT OR UPDATE OR DELETE ON review_ratings FOR EACH ROW EXECUTE FUNCTION sync_note('review', 'review_id', 'part');
CREATE TRIGGER sync_note AFTER INSERT OR UPDATE OR DELETE ON stories FOR EACH ROW EXECUTE FUNCTION sync_note('story', 'id');
CREATE TRIGGER sync_note AFTER INSERT OR UPDATE OR DELETE ON photos FOR EACH ROW EXECUTE FUNCTION sync_note('story', 'story_id', 'part');
CREATE TRIGGER sync_note AFTER INSERT OR UPDATE OR DELETE ON reactions FOR EACH ROW EXECUTE FUNCTION sync_note('reaction', 'id');
CREATE TRIGGER sync_note AFTER INSERT OR UPDATE OR DELETE ON comments FOR EACH ROW EXECUTE FUNCTION sync_note('comment', 'id');
CREATE TRIGGER sync_note AFTER INSERT OR UPDATE OR DELETE ON circle_members FOR EACH ROW EXECUTE FUNCTION sync_note('circle_member', 'id');
CREATE TRIGGER sync_note AFTER INSERT OR UPDATE OR DELETE ON profile_entries FOR EACH ROW EXECUTE FUNCTION sync_note('profile', 'person_id', 'part');
-- An assignment removed is a deletion of that mentor's assignment (record id: the mentor).
CREATE TRIGGER sync_note AFTER INSERT OR UPDATE OR DELETE ON mentor_assignments FOR EACH ROW EXECUTE FUNCTION sync_note('assignment', 'mentor_id');

-- Like every table about a person: no change commits without its audit event.
CREATE CONSTRAINT TRIGGER audit_required AFTER INSERT OR UPDATE OR DELETE ON sync_log
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_required();
