-- Rollups that carry what reports join them by (issue 20). A report found each person's coded
-- goals through `goal_codes` (a join, then DISTINCT over area, goal and person) and probed
-- `kpi_goals` once per coded goal, and found reviews through `reviews` to probe `kpi_reviews`
-- once per review: most of a year report's time at 100,000 people (benches/README.md). Each
-- rollup row now holds its keys: a goal's person and its current codes as distinct
-- (framework, code) pairs; a review's person, day and fingerprint. A report reads the two
-- rollups and `people`, nothing else.
--
-- Expand, without rewriting or scanning a large table here: the new columns are nullable (or
-- have a constant default), the composite keys are NOT VALID (checked for every row written
-- from now on), the indexes are built concurrently by migrations 000025 and 000026, and the
-- rows already there get their keys from `camau migrate` after the migrations, in batches of
-- their own transactions (`db::backfill_rollup_keys`), while the service keeps writing. A later
-- release validates the keys and makes them NOT NULL.
--
-- With a `person_id` they are tables about a person: erasure sweeps them (their rows also go
-- by cascade) and a person's export includes them. They are derived, written only by the
-- refreshes of tables that carry the audit check, so they carry none of their own.

-- Every lock this takes, at the start, in the order writers take them (a record's table, then
-- its rollup), and for at most 5 s each: behind a long report or in a deadlock with a request,
-- this rolls back whole and `camau migrate` tries again, rather than stall every write.
SET LOCAL lock_timeout = '5s';
LOCK TABLE goals, reviews, goal_codes, outcome_areas, framework_versions
    IN SHARE ROW EXCLUSIVE MODE;
LOCK TABLE kpi_goals, kpi_reviews IN ACCESS EXCLUSIVE MODE;

ALTER TABLE kpi_goals
    ADD COLUMN person_id uuid,
    ADD COLUMN code_frameworks uuid[] NOT NULL DEFAULT '{}',
    ADD COLUMN codes text[] NOT NULL DEFAULT '{}',
    ADD CONSTRAINT kpi_goals_goal_fk FOREIGN KEY (goal_id, person_id, organisation_id)
        REFERENCES goals (id, person_id, organisation_id) ON DELETE CASCADE NOT VALID;
ALTER TABLE kpi_reviews
    ADD COLUMN person_id uuid,
    ADD COLUMN organisation_id uuid,
    ADD COLUMN held_on date,
    ADD COLUMN fp bigint,
    ADD CONSTRAINT kpi_reviews_review_fk FOREIGN KEY (review_id, person_id, organisation_id)
        REFERENCES reviews (id, person_id, organisation_id) ON DELETE CASCADE NOT VALID;

-- As in migration 000022, with the keys: `codes[i]` is a code of framework `code_frameworks[i]`
-- the goal has now (each pair once, however many of the framework's versions or statements
-- it was coded by). A row is rewritten only when something in it changed.
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
        story_fpx = excluded.story_fpx
    WHERE (k.person_id, k.organisation_id, k.created_on, k.scale_id, k.code_frameworks, k.codes,
           k.rated_on, k.rated_value, k.achieved_on, k.story_on, k.story_fpx)
          IS DISTINCT FROM
          (excluded.person_id, excluded.organisation_id, excluded.created_on, excluded.scale_id,
           excluded.code_frameworks, excluded.codes, excluded.rated_on, excluded.rated_value,
           excluded.achieved_on, excluded.story_on, excluded.story_fpx);
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
    WHERE (k.person_id, k.organisation_id, k.held_on, k.fp, k.on_time) IS DISTINCT FROM
          (excluded.person_id, excluded.organisation_id, excluded.held_on, excluded.fp,
           excluded.on_time);
END $$;

-- A goal's codes are facts of its rollup now: adding, removing or changing one refreshes it.
CREATE TRIGGER kpi_goals_insert AFTER INSERT ON goal_codes REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION kpi_goals_from_parts();
CREATE TRIGGER kpi_goals_update AFTER UPDATE ON goal_codes
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION kpi_goals_from_parts();
CREATE TRIGGER kpi_goals_delete AFTER DELETE ON goal_codes REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION kpi_goals_from_parts();

-- An area's code, and which framework a version belongs to, are facts of the rollups too, and
-- nothing refreshes them: they are fixed once written (a framework changes by a new version).
CREATE FUNCTION outcome_codes_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% of % is fixed once written: add a new version instead', TG_ARGV[0], TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER outcome_codes_fixed BEFORE UPDATE OF code, version_id ON outcome_areas
    FOR EACH ROW WHEN ((OLD.code, OLD.version_id) IS DISTINCT FROM (NEW.code, NEW.version_id))
    EXECUTE FUNCTION outcome_codes_fixed('code');
CREATE TRIGGER outcome_codes_fixed BEFORE UPDATE OF framework_id ON framework_versions
    FOR EACH ROW WHEN (OLD.framework_id IS DISTINCT FROM NEW.framework_id)
    EXECUTE FUNCTION outcome_codes_fixed('framework');

-- What `camau migrate` has still to key (one row per rollup; gone when done).
CREATE TABLE kpi_backfills (
    rollup text PRIMARY KEY CHECK (rollup IN ('kpi_goals', 'kpi_reviews')),
    -- The last key written: the next batch starts after it.
    after uuid
);
INSERT INTO kpi_backfills (rollup) VALUES ('kpi_goals'), ('kpi_reviews');
