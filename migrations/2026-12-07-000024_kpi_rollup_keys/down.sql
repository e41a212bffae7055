-- Back to the rollups of migration 000022: no keys, no goal_codes triggers.
DROP TABLE kpi_backfills;
DROP TRIGGER outcome_codes_fixed ON outcome_areas;
DROP TRIGGER outcome_codes_fixed ON framework_versions;
DROP FUNCTION outcome_codes_fixed();
DROP TRIGGER kpi_goals_insert ON goal_codes;
DROP TRIGGER kpi_goals_update ON goal_codes;
DROP TRIGGER kpi_goals_delete ON goal_codes;
ALTER TABLE kpi_goals DROP CONSTRAINT kpi_goals_goal_fk,
    DROP COLUMN person_id, DROP COLUMN code_frameworks, DROP COLUMN codes;
ALTER TABLE kpi_reviews DROP CONSTRAINT kpi_reviews_review_fk,
    DROP COLUMN person_id, DROP COLUMN organisation_id, DROP COLUMN held_on, DROP COLUMN fp;

CREATE OR REPLACE FUNCTION kpi_goals_write(ids uuid[]) RETURNS void LANGUAGE plpgsql
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

CREATE OR REPLACE FUNCTION kpi_reviews_write(people uuid[]) RETURNS void LANGUAGE plpgsql
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
