CREATE OR REPLACE FUNCTION consent_withheld(person uuid, purpose text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM consents c
                    WHERE c.person_id = $1 AND c.purpose = $2 AND c.current
                      AND (c.decision = 'refused' OR c.withdrawn_at IS NOT NULL))
$$;
DROP TRIGGER kpi_reviews_insert ON reviews;
DROP TRIGGER kpi_reviews_update ON reviews;
DROP TRIGGER kpi_reviews_delete ON reviews;
DROP TRIGGER kpi_goals_insert ON stories;
DROP TRIGGER kpi_goals_update ON stories;
DROP TRIGGER kpi_goals_delete ON stories;
DROP TRIGGER kpi_goals_insert ON review_ratings;
DROP TRIGGER kpi_goals_update ON review_ratings;
DROP TRIGGER kpi_goals_delete ON review_ratings;
DROP TRIGGER kpi_goals_insert ON goal_status_changes;
DROP TRIGGER kpi_goals_update ON goal_status_changes;
DROP TRIGGER kpi_goals_delete ON goal_status_changes;
DROP TRIGGER kpi_goals_insert ON goals;
DROP TRIGGER kpi_goals_update ON goals;
DROP FUNCTION kpi_reviews_from_reviews();
DROP FUNCTION kpi_goals_from_stories();
DROP FUNCTION kpi_goals_from_parts();
DROP FUNCTION kpi_goals_from_goals();
DROP FUNCTION kpi_reviews_refresh(uuid[]);
DROP FUNCTION kpi_goals_refresh(uuid[]);
DROP TABLE kpi_reviews;
DROP TABLE kpi_goals;
