-- Back to migration 000021's SQL functions.
DROP FUNCTION kpi_goals_write(uuid[]);
DROP FUNCTION kpi_reviews_write(uuid[]);
CREATE OR REPLACE FUNCTION kpi_goals_refresh(ids uuid[]) RETURNS void LANGUAGE sql AS $$
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

CREATE OR REPLACE FUNCTION kpi_reviews_refresh(people uuid[]) RETURNS void LANGUAGE sql AS $$
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
