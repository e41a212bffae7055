-- Rollups that carry what reports join them by (issue 20). A report found each person's coded
-- goals through `goal_codes` (a join, then DISTINCT over area, goal and person) and probed
-- `kpi_goals` once per coded goal, and found reviews through `reviews` to probe `kpi_reviews`
-- once per review: at 100,000 people most of a year report's time (benches/README.md). Each
-- rollup row now holds its keys: a goal's person and its current codes as distinct
-- (framework, code) pairs; a review's person, day and fingerprint. A report reads the two
-- rollups and `people`, nothing else.
--
-- With a `person_id` they are tables about a person, and treated as such: the audit check
-- covers them (every write to them is a refresh inside a transaction that wrote the record and
-- its event), erasure sweeps them (their rows also go by cascade) and a person's export
-- includes them.

ALTER TABLE kpi_goals
    ADD COLUMN person_id uuid,
    ADD COLUMN code_frameworks uuid[] NOT NULL DEFAULT '{}',
    ADD COLUMN codes text[] NOT NULL DEFAULT '{}';
ALTER TABLE kpi_reviews
    ADD COLUMN person_id uuid,
    ADD COLUMN organisation_id uuid,
    ADD COLUMN held_on date,
    ADD COLUMN fp bigint;

-- As in migration 000022, with the keys: `codes[i]` is a code of framework `code_frameworks[i]`
-- the goal has now (each pair once, however many of the framework's versions or statements
-- it was coded by).
CREATE OR REPLACE FUNCTION kpi_goals_write(ids uuid[]) RETURNS void LANGUAGE plpgsql
SET jit = off SET plan_cache_mode = force_generic_plan AS $$
BEGIN
    INSERT INTO kpi_goals AS k (goal_id, person_id, organisation_id, created_on, scale_id,
                                code_frameworks, codes, rated_on, rated_value, achieved_on,
                                story_on, story_fpx)
    SELECT g.id, g.person_id, g.organisation_id,
           (g.created_at AT TIME ZONE 'Europe/London')::date, g.scale_id,
           COALESCE(c.frameworks, '{}'), COALESCE(c.codes, '{}'),
           COALESCE(r.rated_on, '{}'), COALESCE(r.rated_value, '{}'),
           COALESCE(a.achieved_on, '{}'), COALESCE(s.story_on, '{}'), COALESCE(s.story_fpx, '{}')
    FROM (SELECT DISTINCT unnest(ids) AS id) i
    JOIN goals g ON g.id = i.id
    LEFT JOIN LATERAL (
        SELECT array_agg(d.framework_id ORDER BY d.framework_id, d.code) AS frameworks,
               array_agg(d.code ORDER BY d.framework_id, d.code) AS codes
        FROM (SELECT DISTINCT v.framework_id, oa.code
              FROM goal_codes gc
              JOIN outcome_areas oa ON oa.id = gc.area_id
              JOIN framework_versions v ON v.id = oa.version_id
              WHERE gc.goal_id = g.id AND gc.removed_at IS NULL) d) c ON true
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
        person_id = excluded.person_id, organisation_id = excluded.organisation_id,
        created_on = excluded.created_on, scale_id = excluded.scale_id,
        code_frameworks = excluded.code_frameworks, codes = excluded.codes,
        rated_on = excluded.rated_on, rated_value = excluded.rated_value,
        achieved_on = excluded.achieved_on, story_on = excluded.story_on,
        story_fpx = excluded.story_fpx;
END $$;

CREATE OR REPLACE FUNCTION kpi_reviews_write(people uuid[]) RETURNS void LANGUAGE plpgsql
SET jit = off SET plan_cache_mode = force_generic_plan AS $$
BEGIN
    INSERT INTO kpi_reviews AS k (review_id, person_id, organisation_id, held_on, fp, on_time)
    SELECT id, person_id, organisation_id, held_on, hashtextextended(id::text, 0),
           due IS NULL OR held_on <= due
    FROM (SELECT r.id, r.person_id, r.organisation_id, r.held_on,
                 lag(r.next_review_on) OVER (PARTITION BY r.person_id ORDER BY r.held_on, r.id) AS due
          FROM (SELECT DISTINCT unnest(people) AS id) p
          JOIN reviews r ON r.person_id = p.id) x
    ON CONFLICT (review_id) DO UPDATE SET
        person_id = excluded.person_id, organisation_id = excluded.organisation_id,
        held_on = excluded.held_on, fp = excluded.fp, on_time = excluded.on_time
    WHERE (k.person_id, k.organisation_id, k.held_on, k.on_time) IS DISTINCT FROM
          (excluded.person_id, excluded.organisation_id, excluded.held_on, excluded.on_time);
END $$;

-- A goal's codes are facts of its rollup now: adding, removing or changing one refreshes it.
DO $$
DECLARE t text := 'goal_codes';
BEGIN
    EXECUTE format('CREATE TRIGGER kpi_goals_insert AFTER INSERT ON %I '
                   'REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT '
                   'EXECUTE FUNCTION kpi_goals_from_parts()', t);
    EXECUTE format('CREATE TRIGGER kpi_goals_update AFTER UPDATE ON %I '
                   'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT '
                   'EXECUTE FUNCTION kpi_goals_from_parts()', t);
    EXECUTE format('CREATE TRIGGER kpi_goals_delete AFTER DELETE ON %I '
                   'REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT '
                   'EXECUTE FUNCTION kpi_goals_from_parts()', t);
END $$;

-- What is already recorded, with writers of the sources held off (as in migration 000022).
LOCK TABLE goals, goal_codes, review_ratings, goal_status_changes, stories, reviews
    IN SHARE ROW EXCLUSIVE MODE;
SELECT kpi_goals_write(ARRAY(SELECT id FROM goals));
SELECT kpi_reviews_write(ARRAY(SELECT DISTINCT person_id FROM reviews));

-- The keys are their sources' (composite foreign keys, as everywhere else), and always there.
ALTER TABLE kpi_goals
    ALTER COLUMN person_id SET NOT NULL,
    ALTER COLUMN code_frameworks DROP DEFAULT,
    ALTER COLUMN codes DROP DEFAULT,
    DROP CONSTRAINT kpi_goals_goal_id_fkey,
    ADD CONSTRAINT kpi_goals_goal_fk FOREIGN KEY (goal_id, person_id, organisation_id)
        REFERENCES goals (id, person_id, organisation_id) ON DELETE CASCADE;
ALTER TABLE kpi_reviews
    ALTER COLUMN person_id SET NOT NULL,
    ALTER COLUMN organisation_id SET NOT NULL,
    ALTER COLUMN held_on SET NOT NULL,
    ALTER COLUMN fp SET NOT NULL,
    DROP CONSTRAINT kpi_reviews_review_id_fkey,
    ADD CONSTRAINT kpi_reviews_review_fk FOREIGN KEY (review_id, person_id, organisation_id)
        REFERENCES reviews (id, person_id, organisation_id) ON DELETE CASCADE;
-- A caseload's or a provider's rows by person; the whole of a commissioner's is a scan.
CREATE INDEX kpi_goals_person_idx ON kpi_goals (person_id);
CREATE INDEX kpi_reviews_person_idx ON kpi_reviews (person_id, held_on);

-- Tables about a person carry the audit check (migration 000012), created after the backfill
-- above, which is the migration's and no one's record change.
CREATE CONSTRAINT TRIGGER audit_required AFTER INSERT OR UPDATE OR DELETE ON kpi_goals
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_required();
CREATE CONSTRAINT TRIGGER audit_required AFTER INSERT OR UPDATE OR DELETE ON kpi_reviews
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_required();
