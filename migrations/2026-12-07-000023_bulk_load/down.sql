-- The triggers as migrations 000020 and 000021 left them.

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

CREATE OR REPLACE FUNCTION kpi_goals_from_goals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM kpi_goals_refresh(ARRAY(SELECT id FROM new_rows));
    ELSE -- UPDATE: only what the facts hold
        PERFORM kpi_goals_refresh(ARRAY(
            SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
             WHERE (n.created_at, n.scale_id, n.organisation_id)
                   IS DISTINCT FROM (o.created_at, o.scale_id, o.organisation_id)));
    END IF;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION kpi_goals_from_parts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM kpi_goals_refresh(ARRAY(SELECT DISTINCT goal_id FROM new_rows
                                        WHERE goal_id IS NOT NULL));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM kpi_goals_refresh(ARRAY(SELECT DISTINCT goal_id FROM old_rows
                                        WHERE goal_id IS NOT NULL));
    ELSE
        PERFORM kpi_goals_refresh(ARRAY(
            SELECT goal_id FROM new_rows WHERE goal_id IS NOT NULL
            UNION SELECT goal_id FROM old_rows WHERE goal_id IS NOT NULL));
    END IF;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION kpi_goals_from_stories() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM kpi_goals_refresh(ARRAY(SELECT DISTINCT goal_id FROM new_rows
                                        WHERE goal_id IS NOT NULL AND status = 'published'));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM kpi_goals_refresh(ARRAY(SELECT DISTINCT goal_id FROM old_rows
                                        WHERE goal_id IS NOT NULL AND status = 'published'));
    ELSE
        PERFORM kpi_goals_refresh(ARRAY(
            SELECT x.goal_id FROM new_rows n JOIN old_rows o ON o.id = n.id,
                   LATERAL (VALUES (n.goal_id), (o.goal_id)) x (goal_id)
             WHERE x.goal_id IS NOT NULL
               AND (n.goal_id, n.status, n.created_at)
                   IS DISTINCT FROM (o.goal_id, o.status, o.created_at)));
    END IF;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION kpi_reviews_from_reviews() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM kpi_reviews_refresh(ARRAY(SELECT DISTINCT person_id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM kpi_reviews_refresh(ARRAY(SELECT DISTINCT person_id FROM old_rows));
    ELSE
        PERFORM kpi_reviews_refresh(ARRAY(
            SELECT x.person_id FROM new_rows n JOIN old_rows o ON o.id = n.id,
                   LATERAL (VALUES (n.person_id), (o.person_id)) x (person_id)
             WHERE (n.person_id, n.held_on, n.next_review_on)
                   IS DISTINCT FROM (o.person_id, o.held_on, o.next_review_on)));
    END IF;
    RETURN NULL;
END $$;
