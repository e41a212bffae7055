-- The rollups' refresh functions in PL/pgSQL (issue 20). As SQL functions of two statements
-- they could not be inlined, so PostgreSQL planned their bodies on every call: ~3 ms added to
-- each goal created (two refreshes: the goal and its first status). In PL/pgSQL each statement's
-- plan is kept per connection. Same locks, same results; two changes of form, found by loading
-- 20,000 people in batches of 2,500 goals (`camau demo-data`), where both cost time growing with
-- the tables: the ids are joined from `unnest` (with `= ANY (ids)` of a known long array the
-- planner scanned every goal testing each against the whole array), and a goal's achievements
-- are filtered in the aggregate, not in the scan (with `status = 'achieved'` there it ANDed in
-- the partial index of every achievement there is: 0.7 ms a goal at 20,000 people). And no JIT:
-- a batch's estimate passed its threshold, and compiling took 0.4 s to save nothing. And always
-- the generic plan (nested loops from the ids, right for one goal and for thousands): a custom
-- plan for one id looked cheaper than the generic one, so PostgreSQL planned it on every call,
-- 190 µs against 21 µs.

-- The rollup rows of these goals as the record now has them. Without locks: for rows no other
-- transaction can write (the bulk loader's, the backfill below); everyone else calls the
-- `_refresh` form.
CREATE FUNCTION kpi_goals_write(ids uuid[]) RETURNS void LANGUAGE plpgsql
SET jit = off SET plan_cache_mode = force_generic_plan AS $$
BEGIN
    INSERT INTO kpi_goals AS k (goal_id, organisation_id, created_on, scale_id, rated_on,
                                rated_value, achieved_on, story_on, story_fpx)
    SELECT g.id, g.organisation_id, (g.created_at AT TIME ZONE 'Europe/London')::date,
           g.scale_id, COALESCE(r.rated_on, '{}'), COALESCE(r.rated_value, '{}'),
           COALESCE(a.achieved_on, '{}'), COALESCE(s.story_on, '{}'), COALESCE(s.story_fpx, '{}')
    FROM (SELECT DISTINCT unnest(ids) AS id) i
    JOIN goals g ON g.id = i.id
    LEFT JOIN LATERAL (
        SELECT array_agg(rr.held_on ORDER BY rr.held_on, rr.review_id) AS rated_on,
               array_agg(rr.value ORDER BY rr.held_on, rr.review_id) AS rated_value
        FROM review_ratings rr WHERE rr.goal_id = g.id) r ON true
    LEFT JOIN LATERAL (
        SELECT array_agg((c.changed_at AT TIME ZONE 'Europe/London')::date ORDER BY c.changed_at)
                 FILTER (WHERE c.status = 'achieved') AS achieved_on
        FROM goal_status_changes c WHERE c.goal_id = g.id) a ON true
    LEFT JOIN LATERAL (
        SELECT array_agg(x.d ORDER BY x.d, x.id) AS story_on,
               array_agg(x.fpx ORDER BY x.d, x.id) AS story_fpx
        FROM (SELECT st.id, (st.created_at AT TIME ZONE 'Europe/London')::date AS d,
                     bit_xor(hashtextextended(st.id::text, 0))
                       OVER (ORDER BY (st.created_at AT TIME ZONE 'Europe/London')::date, st.id)
                       AS fpx
              FROM stories st WHERE st.goal_id = g.id AND st.status = 'published') x) s ON true
    ON CONFLICT (goal_id) DO UPDATE SET
        organisation_id = excluded.organisation_id, created_on = excluded.created_on,
        scale_id = excluded.scale_id, rated_on = excluded.rated_on,
        rated_value = excluded.rated_value, achieved_on = excluded.achieved_on,
        story_on = excluded.story_on, story_fpx = excluded.story_fpx;
END $$;

CREATE FUNCTION kpi_reviews_write(people uuid[]) RETURNS void LANGUAGE plpgsql
SET jit = off SET plan_cache_mode = force_generic_plan AS $$
BEGIN
    INSERT INTO kpi_reviews AS k (review_id, on_time)
    SELECT id, due IS NULL OR held_on <= due
    FROM (SELECT r.id, r.held_on,
                 lag(r.next_review_on) OVER (PARTITION BY r.person_id ORDER BY r.held_on, r.id) AS due
          FROM (SELECT DISTINCT unnest(people) AS id) p
          JOIN reviews r ON r.person_id = p.id) x
    ON CONFLICT (review_id) DO UPDATE SET on_time = excluded.on_time
    WHERE k.on_time IS DISTINCT FROM excluded.on_time;
END $$;

-- With the locks of migration 000021 taken first, each in key order: a goal's refresh locks its
-- person (as a review refresh does) before the goal, so two transactions about one person queue
-- on the person instead of taking goal and person locks in opposite orders (a review's ratings
-- refresh goals after its review locked the person; a change of its date, before).
CREATE OR REPLACE FUNCTION kpi_goals_refresh(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM count(pg_advisory_xact_lock(7041, hashtext(person_id::text)))
      FROM (SELECT DISTINCT g.person_id FROM (SELECT DISTINCT unnest(ids) AS id) i
            JOIN goals g ON g.id = i.id ORDER BY 1) x;
    PERFORM count(pg_advisory_xact_lock(7040, hashtext(id::text)))
      FROM (SELECT DISTINCT unnest(ids) AS id ORDER BY 1) x;
    PERFORM kpi_goals_write(ids);
END $$;

CREATE OR REPLACE FUNCTION kpi_reviews_refresh(people uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM count(pg_advisory_xact_lock(7041, hashtext(id::text)))
      FROM (SELECT DISTINCT unnest(people) AS id ORDER BY 1) x;
    PERFORM kpi_reviews_write(people);
END $$;

-- What is already recorded (moved here from 000021; idempotent where 000021 already wrote it),
-- with the source tables locked against writers so that none refreshes a row behind this.
LOCK TABLE goals, review_ratings, goal_status_changes, stories, reviews IN SHARE ROW EXCLUSIVE MODE;
SELECT kpi_goals_write(ARRAY(SELECT id FROM goals));
SELECT kpi_reviews_write(ARRAY(SELECT DISTINCT person_id FROM reviews));
