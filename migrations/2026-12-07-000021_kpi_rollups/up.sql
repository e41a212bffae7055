-- Outcome facts kept as rollups (issue 20). Reports and dashboards used to probe every coded
-- goal for its baseline, latest rating, achievement and stories (`kpis::figures`' definition);
-- at 100,000 people that was 560,000 goals and ~20 s. These tables hold, per goal and per
-- review, the same facts in compact sorted arrays, kept current by statement triggers on every
-- table they derive from, in the writing transaction. A report finds "how many in [lo, hi]"
-- with `width_bucket` (a binary search in a sorted array) and a fingerprint of a date range as
-- the XOR of two prefix-XORs, so no period needs a probe.
--
-- They hold no `person_id`: they are derived from rows that are themselves about a person, go
-- with them by cascade, and are not part of a person's record (erasure's walk and the export
-- list tables by `person_id`; nothing new appears there).

-- Per goal: its UK creation date, its scale, its ratings sorted by (held_on, review_id), the UK
-- dates it was marked achieved, and its published stories' UK dates with a running XOR of their
-- ids' hashes (`story_fpx[i]` = the XOR of the first i).
CREATE TABLE kpi_goals (
    goal_id uuid PRIMARY KEY REFERENCES goals (id) ON DELETE CASCADE,
    organisation_id uuid NOT NULL,
    created_on date NOT NULL,
    scale_id uuid NOT NULL,
    rated_on date[] NOT NULL,
    rated_value double precision[] NOT NULL,
    achieved_on date[] NOT NULL,
    story_on date[] NOT NULL,
    story_fpx bigint[] NOT NULL
);

-- Per review: whether it was held on time (by the `next_review_on` of the person's review before
-- it, ordered by (held_on, id)), which depends on the person's other reviews.
CREATE TABLE kpi_reviews (
    review_id uuid PRIMARY KEY REFERENCES reviews (id) ON DELETE CASCADE,
    on_time boolean NOT NULL
);

-- Each refresh first takes a transaction lock per goal (per person for reviews), in key order,
-- then reads in a statement of its own, so with a fresh snapshot: of two transactions writing
-- about the same goal at once, the second waits for the first to commit and then sees its
-- rows, so the last refresh holds both (without the lock each would write what it alone saw).
CREATE FUNCTION kpi_goals_refresh(ids uuid[]) RETURNS void LANGUAGE sql AS $$
    SELECT count(pg_advisory_xact_lock(7040, hashtext(id::text)))
      FROM (SELECT DISTINCT unnest(ids) AS id ORDER BY 1) x;
    INSERT INTO kpi_goals AS k (goal_id, organisation_id, created_on, scale_id, rated_on,
                                rated_value, achieved_on, story_on, story_fpx)
    SELECT g.id, g.organisation_id, (g.created_at AT TIME ZONE 'Europe/London')::date,
           g.scale_id, COALESCE(r.rated_on, '{}'), COALESCE(r.rated_value, '{}'),
           COALESCE(a.achieved_on, '{}'), COALESCE(s.story_on, '{}'), COALESCE(s.story_fpx, '{}')
    FROM goals g
    LEFT JOIN LATERAL (
        SELECT array_agg(rr.held_on ORDER BY rr.held_on, rr.review_id) AS rated_on,
               array_agg(rr.value ORDER BY rr.held_on, rr.review_id) AS rated_value
        FROM review_ratings rr WHERE rr.goal_id = g.id) r ON true
    LEFT JOIN LATERAL (
        SELECT array_agg((c.changed_at AT TIME ZONE 'Europe/London')::date ORDER BY c.changed_at)
               AS achieved_on
        FROM goal_status_changes c WHERE c.goal_id = g.id AND c.status = 'achieved') a ON true
    LEFT JOIN LATERAL (
        SELECT array_agg(x.d ORDER BY x.d, x.id) AS story_on,
               array_agg(x.fpx ORDER BY x.d, x.id) AS story_fpx
        FROM (SELECT st.id, (st.created_at AT TIME ZONE 'Europe/London')::date AS d,
                     bit_xor(hashtextextended(st.id::text, 0))
                       OVER (ORDER BY (st.created_at AT TIME ZONE 'Europe/London')::date, st.id)
                       AS fpx
              FROM stories st WHERE st.goal_id = g.id AND st.status = 'published') x) s ON true
    WHERE g.id = ANY (ids)
    ON CONFLICT (goal_id) DO UPDATE SET
        organisation_id = excluded.organisation_id, created_on = excluded.created_on,
        scale_id = excluded.scale_id, rated_on = excluded.rated_on,
        rated_value = excluded.rated_value, achieved_on = excluded.achieved_on,
        story_on = excluded.story_on, story_fpx = excluded.story_fpx
$$;

CREATE FUNCTION kpi_reviews_refresh(people uuid[]) RETURNS void LANGUAGE sql AS $$
    SELECT count(pg_advisory_xact_lock(7041, hashtext(id::text)))
      FROM (SELECT DISTINCT unnest(people) AS id ORDER BY 1) x;
    INSERT INTO kpi_reviews AS k (review_id, on_time)
    SELECT id, due IS NULL OR held_on <= due
    FROM (SELECT r.id, r.held_on,
                 lag(r.next_review_on) OVER (PARTITION BY r.person_id ORDER BY r.held_on, r.id) AS due
          FROM reviews r WHERE r.person_id = ANY (people)) x
    ON CONFLICT (review_id) DO UPDATE SET on_time = excluded.on_time
    WHERE k.on_time IS DISTINCT FROM excluded.on_time
$$;

-- The triggers: statement-level with transition tables, so a bulk write refreshes each goal or
-- person once. One function per source table; `TG_OP` picks the transition tables it has.
CREATE FUNCTION kpi_goals_from_goals() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE TRIGGER kpi_goals_insert AFTER INSERT ON goals REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION kpi_goals_from_goals();
CREATE TRIGGER kpi_goals_update AFTER UPDATE ON goals
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION kpi_goals_from_goals();

-- Ratings, status changes and stories: the goals named before or after the change.
CREATE FUNCTION kpi_goals_from_parts() RETURNS trigger LANGUAGE plpgsql AS $$
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

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['review_ratings', 'goal_status_changes'] LOOP
        EXECUTE format('CREATE TRIGGER kpi_goals_insert AFTER INSERT ON %I '
                       'REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT '
                       'EXECUTE FUNCTION kpi_goals_from_parts()', t);
        EXECUTE format('CREATE TRIGGER kpi_goals_update AFTER UPDATE ON %I '
                       'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT '
                       'EXECUTE FUNCTION kpi_goals_from_parts()', t);
        EXECUTE format('CREATE TRIGGER kpi_goals_delete AFTER DELETE ON %I '
                       'REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT '
                       'EXECUTE FUNCTION kpi_goals_from_parts()', t);
    END LOOP;
END $$;

-- Stories change often (bodies, audiences, hiding): only changes to what the facts hold count.
CREATE FUNCTION kpi_goals_from_stories() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE TRIGGER kpi_goals_insert AFTER INSERT ON stories REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION kpi_goals_from_stories();
CREATE TRIGGER kpi_goals_update AFTER UPDATE ON stories
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION kpi_goals_from_stories();
CREATE TRIGGER kpi_goals_delete AFTER DELETE ON stories REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION kpi_goals_from_stories();

-- Reviews: every review of the people named before or after the change (a review's timeliness
-- depends on the one before it).
CREATE FUNCTION kpi_reviews_from_reviews() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE TRIGGER kpi_reviews_insert AFTER INSERT ON reviews REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION kpi_reviews_from_reviews();
CREATE TRIGGER kpi_reviews_update AFTER UPDATE ON reviews
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION kpi_reviews_from_reviews();
CREATE TRIGGER kpi_reviews_delete AFTER DELETE ON reviews REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION kpi_reviews_from_reviews();

-- Whether a person said no to a purpose, asked by every circle member's read and every feed
-- page: the same test as migration 000013's, in PL/pgSQL, whose plan is kept per connection.
-- The SQL version cannot be inlined (its EXISTS), so PostgreSQL planned its body on every call:
-- two calls cut a one-row lookup from ~47,000 to ~9,500 a second (benches/readpath_parts.sh).
CREATE OR REPLACE FUNCTION consent_withheld(person uuid, purpose text) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM consents c
                    WHERE c.person_id = consent_withheld.person
                      AND c.purpose = consent_withheld.purpose AND c.current
                      AND (c.decision = 'refused' OR c.withdrawn_at IS NOT NULL));
END $$;

-- What is already recorded is written by migration 000022, without a lock per goal (one per
-- goal in one transaction filled the shared lock table at ~8,000 goals).
