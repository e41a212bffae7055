-- One export job at a time per person: a retried request gets the one already running.
CREATE UNIQUE INDEX exports_one_pending_idx ON exports (person_id) WHERE status = 'pending';

-- Retention counts from when the end of support was recorded, not only from the date typed:
-- backdating the end (or a typo) must not erase a record at the next housekeeping pass.
ALTER TABLE people ADD COLUMN support_ended_recorded_at timestamptz;
UPDATE people SET support_ended_recorded_at = support_ended_on::timestamptz
 WHERE support_ended_on IS NOT NULL;

CREATE FUNCTION people_support_ended_recorded() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.support_ended_on IS DISTINCT FROM OLD.support_ended_on THEN
        NEW.support_ended_recorded_at := CASE WHEN NEW.support_ended_on IS NULL THEN NULL
                                              ELSE now() END;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER people_support_ended_recorded BEFORE INSERT OR UPDATE ON people
    FOR EACH ROW EXECUTE FUNCTION people_support_ended_recorded();
