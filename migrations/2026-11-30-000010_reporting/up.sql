-- What the outcome reports and dashboards need that the record did not hold yet: a person's
-- gender (a breakdown commissioners ask for; sensitive, like the date of birth), whether a
-- mentor speaks Welsh (the Active Offer), an organisation's default framework (NULL: the
-- National Outcomes Framework for Wales), and indexes for the aggregate queries.

ALTER TABLE people ADD COLUMN gender text
    CHECK (gender IN ('female', 'male', 'non_binary', 'other', 'not_stated'));
ALTER TABLE accounts ADD COLUMN speaks_welsh boolean NOT NULL DEFAULT false;
ALTER TABLE organisations ADD COLUMN default_framework_id uuid REFERENCES frameworks (id);

-- A rating's review date, kept beside it so a goal's baseline and latest rating are read from
-- one index; the trigger keeps it equal to the review's.
ALTER TABLE review_ratings ADD COLUMN held_on date;
UPDATE review_ratings rr SET held_on = r.held_on FROM reviews r WHERE r.id = rr.review_id;
ALTER TABLE review_ratings ALTER COLUMN held_on SET NOT NULL;

CREATE FUNCTION review_ratings_held_on() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'reviews' THEN
        UPDATE review_ratings SET held_on = NEW.held_on WHERE review_id = NEW.id;
        RETURN NEW;
    END IF;
    NEW.held_on := (SELECT held_on FROM reviews WHERE id = NEW.review_id);
    RETURN NEW;
END $$;
CREATE TRIGGER review_ratings_held_on BEFORE INSERT OR UPDATE OF review_id ON review_ratings
    FOR EACH ROW EXECUTE FUNCTION review_ratings_held_on();
CREATE TRIGGER reviews_held_on AFTER UPDATE OF held_on ON reviews
    FOR EACH ROW WHEN (OLD.held_on IS DISTINCT FROM NEW.held_on)
    EXECUTE FUNCTION review_ratings_held_on();

CREATE INDEX review_ratings_goal_held_idx ON review_ratings (goal_id, held_on, review_id) INCLUDE (value);
DROP INDEX review_ratings_goal_idx;
CREATE INDEX goal_codes_goal_idx ON goal_codes (goal_id) WHERE removed_at IS NULL;
CREATE INDEX goal_codes_organisation_idx ON goal_codes (organisation_id, area_id)
    INCLUDE (goal_id, person_id) WHERE removed_at IS NULL;
CREATE INDEX goals_organisation_idx ON goals (organisation_id, id);
CREATE INDEX reviews_organisation_idx ON reviews (organisation_id, person_id, held_on);
CREATE INDEX goal_status_changes_achieved_idx ON goal_status_changes (organisation_id, changed_at)
    INCLUDE (goal_id) WHERE status = 'achieved';
CREATE INDEX stories_organisation_idx ON stories (organisation_id, created_at);
CREATE INDEX stories_goal_idx ON stories (goal_id) WHERE goal_id IS NOT NULL;
